"""Ignore rules: matching, listing ignored drift, expiry, and clear errors for malformed files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fedstack.drift import (
    APP_IGNORE_FILE,
    IgnoreRulesError,
    app_ignore_rules,
    apply_ignore_rules,
    load_ignore_rules,
)
from fedstack.drift.schema import AttributeChange, ResourceDrift

TODAY = dt.date(2026, 11, 29)


def resource(address: str, *paths: str, kind: str = "update") -> ResourceDrift:
    name_type = address.split(".")[-2:]
    return ResourceDrift(
        address=address,
        type=name_type[0],
        name=name_type[1],
        terraform_provider="registry.terraform.io/hashicorp/aws",
        kind=kind,  # type: ignore[arg-type]
        changes=[AttributeChange(path=p, before="a", after="b") for p in paths],
    )


def rules_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "ignore.yaml"
    path.write_text(text)
    return path


def test_matching_attributes_are_ignored_and_still_listed_with_the_reason(tmp_path: Path) -> None:
    rules = load_ignore_rules(
        rules_file(
            tmp_path,
            '- address: "module.*.aws_s3_bucket.*"\n  attributes: ["tags.cost*"]\n  reason: set by finance\n',
        )
    )
    (result,), expired = apply_ignore_rules(
        [resource("module.logs.aws_s3_bucket.this", "tags.cost-center", "tags.owner")], rules, TODAY
    )
    assert expired == []
    changes = {c.path: c for c in result.changes}
    assert (
        changes["tags.cost-center"].ignored
        and changes["tags.cost-center"].ignore_reason == "set by finance"
    )
    assert not changes["tags.owner"].ignored
    assert not result.ignored  # one attribute still drifts


def test_a_parent_path_covers_its_children_and_all_ignored_marks_the_resource(
    tmp_path: Path,
) -> None:
    rules = load_ignore_rules(
        rules_file(
            tmp_path,
            "- address: aws_instance.vm\n  attributes: [tags, tags_all]\n  reason: ops tags\n",
        )
    )
    (result,), _ = apply_ignore_rules(
        [resource("aws_instance.vm", "tags.Name", "tags_all.Name")], rules, TODAY
    )
    assert result.ignored and result.ignore_reason == "ops tags"
    assert all(c.ignored for c in result.changes)


def test_a_rule_without_attributes_ignores_the_whole_resource_including_deletion(
    tmp_path: Path,
) -> None:
    rules = load_ignore_rules(
        rules_file(
            tmp_path, "- address: aws_route53_record.*\n  reason: records managed by the DNS team\n"
        )
    )
    (result,), _ = apply_ignore_rules(
        [resource("aws_route53_record.www", kind="delete")], rules, TODAY
    )
    assert result.ignored and result.ignore_reason == "records managed by the DNS team"


def test_attribute_rules_do_not_hide_a_deletion(tmp_path: Path) -> None:
    rules = load_ignore_rules(
        rules_file(tmp_path, "- address: aws_route53_record.*\n  attributes: [ttl]\n  reason: r\n")
    )
    (result,), _ = apply_ignore_rules(
        [resource("aws_route53_record.www", kind="delete")], rules, TODAY
    )
    assert not result.ignored


def test_an_expired_rule_stops_applying_and_is_reported(tmp_path: Path) -> None:
    text = (
        "- address: aws_instance.vm\n  reason: temporary hotfix\n  expires: 2026-11-28\n"
        "- address: aws_s3_bucket.b\n  reason: still valid today\n  expires: 2026-11-29\n"
    )
    rules = load_ignore_rules(rules_file(tmp_path, text))
    results, expired = apply_ignore_rules(
        [resource("aws_instance.vm", "tags.x"), resource("aws_s3_bucket.b", "acl")], rules, TODAY
    )
    assert [r.ignored for r in results] == [False, True]
    assert [(e.address, e.expires) for e in expired] == [("aws_instance.vm", dt.date(2026, 11, 28))]


def test_an_empty_file_has_no_rules(tmp_path: Path) -> None:
    assert load_ignore_rules(rules_file(tmp_path, "")) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("address: x\nreason: y\n", "expected a list of rules"),
        ("- address: x\n", r"rule 1: reason: Field required"),
        ("- address: x\n  reason: ''\n", "rule 1: reason"),
        ("- address: x\n  reason: y\n  expires: someday\n", "rule 1: expires"),
        ("- address: x\n  reason: y\n  colour: red\n", "rule 1: colour"),
        ("- address: [unclosed\n", "not valid YAML"),
    ],
)
def test_a_malformed_file_is_a_clear_error_naming_the_rule(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(IgnoreRulesError, match=message) as caught:
        load_ignore_rules(rules_file(tmp_path, text))
    assert "ignore.yaml" in str(caught.value) and "\n" not in str(caught.value)


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(IgnoreRulesError, match="cannot read"):
        load_ignore_rules(tmp_path / "nope.yaml")


def test_an_apps_accepted_drift_is_read_from_beside_its_script_or_folder(tmp_path: Path) -> None:
    script = tmp_path / "main.py"
    script.write_text("")
    assert app_ignore_rules(script) == [] and app_ignore_rules(tmp_path) == []
    (tmp_path / APP_IGNORE_FILE).write_text("- address: module.assets.*\n  reason: known\n")
    [rule] = app_ignore_rules(script)
    assert (rule.address, rule.reason) == ("module.assets.*", "known")
    assert app_ignore_rules(tmp_path) == [rule]
