"""Reports rendered from the report model: schema-valid JUnit and SARIF, escaped HTML, cut Markdown."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from fedstack.drift import parse_formats, render, write_reports
from fedstack.drift.schema import DriftReport
from fedstack.reports import ReportError

from .reports import sample_report, validate_junit, validate_sarif

HOSTILE = '<script>alert("x")</script> | `tick` & </details>'


def test_junit_is_valid_against_the_junit_xsd_with_failures_errors_and_skips(
    tmp_path: Path,
) -> None:
    path = write_reports(sample_report(), ["junit"], tmp_path)["junit"]
    validate_junit(path)
    text = path.read_text()
    assert text.count("<failure ") == 2  # the changed bucket and the deleted record
    assert text.count("<error ") == 1  # the broken stack
    assert text.count("<skipped ") == 1  # the ignored instance
    assert 'name="aws_route53_record.www"' in text and 'type="drift.delete"' in text


def test_sarif_is_valid_against_the_sarif_2_1_0_schema_with_a_rule_per_drift_kind() -> None:
    document = validate_sarif(render(sample_report(), "sarif"))
    run = document["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["drift/update", "drift/delete"]
    results = {
        r["properties"]["stack"] + "/" + r["message"]["text"].split()[0]: r for r in run["results"]
    }
    assert set(results) == {
        "web-fr/module.bucket.aws_s3_bucket.this",
        "web-fr/aws_route53_record.www",
        "logs-de/aws_instance.vm",
    }
    bucket = results["web-fr/module.bucket.aws_s3_bucket.this"]
    assert bucket["ruleId"] == "drift/update"
    assert (
        bucket["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        == "stacks/web-fr/main.tf"
    )
    assert bucket["locations"][0]["physicalLocation"]["region"]["startLine"] == 7
    assert results["logs-de/aws_instance.vm"]["suppressions"][0]["justification"] == "ops rename"
    assert run["invocations"][0]["executionSuccessful"] is False
    assert "broken" in run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]


def test_json_report_round_trips_and_matches_the_model_json_schema() -> None:
    report = sample_report()
    text = render(report, "json")
    jsonschema.validate(json.loads(text), DriftReport.model_json_schema())
    assert DriftReport.model_validate_json(text) == report
    assert json.loads(text)["schema_version"] == 1


def test_html_is_standalone_and_escapes_values() -> None:
    html = render(sample_report(hostile=HOSTILE), "html")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert not re.search(r'(src|href)="(https?:)?//', html)  # no external assets
    assert "<style>" in html and "expired" in html


def test_html_shows_the_regions_on_the_map_with_their_state() -> None:
    html = render(sample_report(), "html")
    # sandbox-fr drifted, sandbox-de in sync; each marker links to its first stack's section.
    assert re.findall(
        r'href="(#stack-\d+)" class="marker" data-region="([^"]+)" data-state="(\w+)"', html
    ) == [
        ("#stack-2", "sandbox-de/de-fra", "in_sync"),
        ("#stack-1", "sandbox-fr/fr-par", "drifting"),
    ]
    assert 'class="land eu" data-country="FR"' in html


def test_markdown_has_a_summary_per_provider_and_collapsible_stacks() -> None:
    markdown = render(sample_report(), "md")
    assert "| sandbox-fr | fr-par | FR | 1 | 0 | 1 | 0 | 2 |" in markdown
    assert "| sandbox-de | de-fra | DE | 1 | 1 | 0 | 0 | 0 |" in markdown
    assert markdown.count("<details>") == 3
    assert "<code>tags.owner</code> | alice | mallory |" in markdown
    assert "deleted out of band" in markdown and "changed (ignored: ops rename)" in markdown
    assert "aws_instance.old" in markdown  # the expired rule is named


def test_markdown_escapes_what_would_break_the_table_or_the_page() -> None:
    markdown = render(sample_report(hostile=HOSTILE), "md")
    assert "<script>" not in markdown and "</details> |" not in markdown
    row = next(line for line in markdown.splitlines() if "tags.owner" in line)
    assert row.count("|") == 6  # the value's pipe is escaped, the row keeps five cells


def test_markdown_is_cut_past_the_size_limit_with_a_note() -> None:
    report = sample_report(extra_stacks=200)
    full = render(report, "md", markdown_limit=10_000_000)
    cut = render(report, "md", markdown_limit=20_000)
    assert len(full) > 60_000
    assert len(cut) <= 20_000
    omitted = int(re.search(r"_(\d+) more stacks not shown", cut).group(1))
    assert cut.count("<details>") + omitted == len(report.stacks)


def test_format_lists_are_parsed_and_unknown_formats_rejected() -> None:
    assert parse_formats("md, junit,md") == ["md", "junit"]
    assert parse_formats("all") == ["md", "junit", "sarif", "json", "html"]
    with pytest.raises(ReportError, match="unknown report format pdf"):
        parse_formats("md,pdf")


def test_markdown_shows_a_default_tag_change_on_many_resources_as_one_finding() -> None:
    from fedstack.drift.schema import AttributeChange, ResourceDrift

    report = sample_report()
    stack = report.stacks[0]

    def bucket(n: int, *extra: AttributeChange) -> ResourceDrift:
        return ResourceDrift(
            address=f"aws_s3_bucket.b{n}",
            type="aws_s3_bucket",
            name=f"b{n}",
            terraform_provider="registry.terraform.io/hashicorp/aws",
            kind="update",
            changes=[AttributeChange(path="tags_all.env", before="prod", after="dev"), *extra],
        )

    drift = [bucket(n) for n in range(7)]
    drift.append(bucket(7, AttributeChange(path="tags.owner", before="ops", after="intern")))
    lone = stack.drift + drift
    lone.append(
        ResourceDrift(
            address="aws_s3_bucket.other",
            type="aws_s3_bucket",
            name="other",
            terraform_provider="registry.terraform.io/hashicorp/aws",
            kind="update",
            changes=[AttributeChange(path="tags_all.env", before="prod", after="test")],
        )
    )
    grouped = report.model_copy(
        update={"stacks": [stack.model_copy(update={"drift": lone}), *report.stacks[1:]]}
    )
    markdown = render(grouped, "md")
    assert markdown.count("<code>tags_all.env</code> | prod | dev |") == 1
    assert "| 8 resources: <code>aws_s3_bucket.b0, " in markdown and "and 3 more |" in markdown
    assert "default tag changed" in markdown
    # The resource's own change stays on its row; a different change is not grouped.
    assert "<code>aws_s3_bucket.b7</code> | changed | <code>tags.owner</code>" in markdown
    assert (
        "<code>aws_s3_bucket.other</code> | changed | <code>tags_all.env</code> | prod | test |"
        in markdown
    )
    assert "<code>aws_s3_bucket.b3</code> | changed" not in markdown
    json_report = json.loads(render(grouped, "json"))  # machine formats keep every resource
    assert len(json_report["stacks"][0]["drift"]) == len(lone)
