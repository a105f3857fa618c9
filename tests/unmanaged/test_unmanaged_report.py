"""The unmanaged report without a cloud: ignore rules, import blocks, exit codes, every format.

Findings here are built from the package's own models; the sandbox test drives the real
enumeration. Nothing is mocked.
"""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from fedstack.drift import IgnoreRulesError

from fedstack.unmanaged import (
    FORMATS,
    Finding,
    ProviderOutcome,
    UnmanagedReport,
    apply_rules,
    load_rules,
    read_report,
    render,
    report_document,
)
from fedstack.unmanaged._enumerate import Seen
from fedstack.unmanaged._imports import import_block

NOW = dt.datetime(2026, 12, 2, 6, 0, tzinfo=dt.UTC)


def _finding(identifier: str, provider: str = "sandbox-fr") -> Finding:
    seen = Seen(
        "object_storage", "fr-par", "aws_s3_bucket", identifier, identifier, {"bucket": identifier}
    )
    return Finding(
        provider=provider,
        region="fr-par",
        country="FR",
        kind="object_storage",
        resource_type="aws_s3_bucket",
        identifier=identifier,
        import_id=identifier,
        address=f"{provider}/fr-par/aws_s3_bucket/{identifier}",
        import_block=import_block(seen, provider, "fr-par"),
    )


def _report(findings: list[Finding], *statuses: str) -> UnmanagedReport:
    providers = [
        ProviderOutcome(provider=f"p{i}", status=s, message=f"{s} here")  # type: ignore[arg-type]
        for i, s in enumerate(statuses or ("checked",))
    ]
    return UnmanagedReport(
        run_id="unmanaged-test",
        started_at=NOW,
        finished_at=NOW,
        fedstack_version="0",
        providers=providers,
        findings=findings,
    )


def test_exit_code_is_0_clean_2_found_1_when_a_provider_failed() -> None:
    assert _report([]).exit_code == 0
    assert _report([_finding("a")]).exit_code == 2
    assert _report([_finding("a")], "checked", "error").exit_code == 1
    assert _report([], "checked", "skipped").exit_code == 0  # a skip is not an error
    ignored = _finding("a").model_copy(update={"ignored": True, "ignore_reason": "r"})
    assert _report([ignored]).exit_code == 0


def test_ignore_rules_mark_matching_findings_and_expired_rules_stop_applying(
    tmp_path: Path,
) -> None:
    path = tmp_path / "ignore.yaml"
    path.write_text(
        '- address: "sandbox-fr/*/aws_s3_bucket/logs-*"\n  reason: "made by the provider"\n'
        '- address: "sandbox-fr/*/aws_s3_bucket/old"\n  reason: "gone soon"\n  expires: 2026-12-01\n'
    )
    marked, expired = apply_rules(
        [_finding("logs-1"), _finding("old"), _finding("data")], load_rules(path), NOW.date()
    )
    assert [(f.identifier, f.ignored, f.ignore_reason) for f in marked] == [
        ("logs-1", True, "made by the provider"),
        ("old", False, None),
        ("data", False, None),
    ]
    assert expired == ["sandbox-fr/*/aws_s3_bucket/old (expired 2026-12-01: gone soon)"]


def test_ignore_rules_with_attributes_or_without_reason_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "ignore.yaml"
    path.write_text('- address: "x"\n  attributes: [tags]\n  reason: "r"\n')
    with pytest.raises(IgnoreRulesError, match="rule 1: attributes do not apply"):
        load_rules(path)
    path.write_text('- address: "x"\n')
    with pytest.raises(IgnoreRulesError, match="rule 1: reason"):
        load_rules(path)


def test_import_block_escapes_template_sequences_and_names_the_resource() -> None:
    seen = Seen(
        "dns_record",
        "global",
        "aws_route53_record",
        "a.example A",
        "Z1_a.example_A",
        {"zone_id": "Z1", "name": "a.example", "type": "TXT", "ttl": 60, "records": ["${x}"]},
    )
    block = import_block(seen, "sandbox-nl", "global")
    assert "to = aws_route53_record.a_example_a" in block
    assert 'id = "Z1_a.example_A"' in block
    assert '"$${x}"' in block and '"${x}"' not in block


def test_every_format_renders_and_json_round_trips() -> None:
    report = _report([_finding("data"), _finding("x<y>&z")], "checked", "error")
    texts = {fmt: render(report, fmt) for fmt in FORMATS}
    assert read_report(json.loads(texts["json"])) == report
    assert json.loads(texts["json"])["exit_code"] == 1
    assert len(json.loads(texts["sarif"])["runs"][0]["results"]) == 2
    suites = ET.fromstring(texts["junit"])
    assert suites.get("failures") == "2" and suites.get("errors") == "1"
    assert "x&lt;y&gt;&amp;z" in texts["html"] and "x<y>" not in texts["html"]
    assert "import {" in texts["md"]
    assert report_document(report)["status"] == "error"


def test_the_coverage_table_in_the_docs_matches_the_code() -> None:
    from fedstack.catalog import load_catalog
    from fedstack.unmanaged import coverage_table

    page = (Path(__file__).resolve().parents[2] / "docs" / "unmanaged.md").read_text()
    for provider, kinds, keys in coverage_table(load_catalog()):
        assert f"| {provider} | {kinds} | {keys} |" in page, provider


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--type", "kubernetes"], "--type: unknown kind kubernetes"),
        (["--provider", "nope"], "unknown provider 'nope'"),
        (["--format", "pdf"], "unknown report format pdf"),
        ([], "cannot reach the bridge at http://127.0.0.1:"),
    ],
)
def test_cli_mistakes_are_one_line_and_exit_1(
    args: list[str], message: str, tmp_path: Path
) -> None:
    import socket
    import subprocess
    import sys

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    fedstack = str(Path(sys.executable).with_name("fedstack"))
    done = subprocess.run(
        [
            fedstack,
            "unmanaged",
            "--bridge",
            f"http://127.0.0.1:{closed}",
            "--out",
            str(tmp_path),
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], done.stderr


def test_help_shows_an_example_and_the_coverage_of_every_provider() -> None:
    from click.testing import CliRunner
    from fedstack.cli import cli

    from fedstack.catalog import load_catalog

    result = CliRunner().invoke(cli, ["unmanaged", "--help"])
    assert result.exit_code == 0
    assert (
        "fedstack unmanaged --bridge http://127.0.0.1:8700 --provider sandbox-fr" in result.output
    )
    for provider in load_catalog().providers:
        assert provider in result.output
