"""Policy and drift reports: one environment, one format registry, one file-naming scheme."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from fedstack.drift import write_reports as write_drift_reports

from fedstack.policy import PolicyReport, load_policy
from fedstack.policy import write_reports as write_policy_reports
from fedstack.reports import FORMATS, ReportError, environment, file_name, parse_formats

from .reports import sample_report


def _policy_report() -> PolicyReport:
    policy = load_policy("eu-data-residency")
    return PolicyReport(
        generated_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        source="plan.json",
        policy=policy.name,
        policy_description=policy.description,
        rules=[],
        resources=[],
    )


def test_both_kinds_write_kind_dot_extension_side_by_side(tmp_path: Path) -> None:
    drift = write_drift_reports(sample_report(), ["md", "junit", "sarif", "json", "html"], tmp_path)
    policy = write_policy_reports(_policy_report(), ["md", "junit", "sarif", "json"], tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [
            "drift.html",
            "drift.json",
            "drift.junit.xml",
            "drift.md",
            "drift.sarif",
            "policy.json",
            "policy.junit.xml",
            "policy.md",
            "policy.sarif",
        ]
    )
    assert drift["junit"].name == file_name("drift", "junit")
    assert [p.name for p in policy] == [
        file_name("policy", f) for f in ("md", "junit", "sarif", "json")
    ]
    for sarif in ("drift.sarif", "policy.sarif"):
        assert json.loads((tmp_path / sarif).read_text())["version"] == "2.1.0"


def test_one_environment_holds_every_kind_of_template() -> None:
    names = set(environment().list_templates())
    for kind, formats in (
        ("drift", ("md", "junit", "sarif", "html")),
        ("policy", ("md", "junit", "sarif")),
    ):
        for fmt in formats:
            assert f"{kind}/{FORMATS[fmt].template}" in names


def test_format_lists_are_checked_against_what_a_kind_supports() -> None:
    assert parse_formats("all", ("md", "json")) == ["md", "json"]
    with pytest.raises(ReportError, match="unknown report format html; choose from md, json"):
        parse_formats("md,html", ("md", "json"))
