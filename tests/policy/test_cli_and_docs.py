"""`fedstack policy explain|presets|rules|show`, and docs/policy-rules.md kept current."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fedstack.cli import main
from fedstack.policy import PRESETS, RULE_TYPES, load_policy
from fedstack.policy._docs import rules_markdown

REPO = Path(__file__).resolve().parents[2]


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    main(args)
    captured = capsys.readouterr()
    return captured.out, captured.err


def test_docs_policy_rules_page_is_generated_from_the_rules() -> None:
    page = (REPO / "docs" / "policy-rules.md").read_text()
    assert page == rules_markdown(), (
        "regenerate: fedstack policy rules --markdown > docs/policy-rules.md"
    )
    for rule in RULE_TYPES:
        assert f"## `{rule.model_fields['id'].default}`" in page


def test_explain_prints_checks_criterion_and_facts(capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = _run(["policy", "explain", "no-non-eu-control"], capsys)
    assert "P5.1.5" in out and "facts.non_eu_control" in out and "unverified" in out
    out, _ = _run(["policy", "explain", "gaia-x-label-min", "--json"], capsys)
    data = json.loads(out)
    assert data["facts"] == ["facts.gaia_x_label"]
    assert data["parameters"]["level"]["required"] is True
    assert "gaia-x-label-2" in data["presets"]


def test_explain_unknown_rule_is_an_error_listing_the_rules(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["policy", "explain", "eu-only"])
    assert exited.value.code == 1
    assert "unknown rule 'eu-only'; known: data-location-eu" in capsys.readouterr().err


def test_presets_json_lists_every_preset_with_its_rules(capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = _run(["policy", "presets", "--json"], capsys)
    data = json.loads(out)
    assert set(data) == set(PRESETS)
    assert [r["id"] for r in data["eu-sovereign"]["rules"]] == [
        r.id for r in PRESETS["eu-sovereign"].rules
    ]


def test_show_prints_a_policy_file_that_loads_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, _ = _run(["policy", "show", "secnumcloud"], capsys)
    file = tmp_path / "secnumcloud.yaml"
    file.write_text(out)
    assert load_policy(file) == PRESETS["secnumcloud"]


def test_policy_help_has_an_example_and_does_not_import_cdktf() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from fedstack.cli import cli; import fedstack.policy;"
        "assert not {'cdktf', 'jsii'} & set(sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from fedstack.cli import main; main(['policy', 'check', '--help'])",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "fedstack policy check plan.json --policy eu-sovereign" in result.stdout
