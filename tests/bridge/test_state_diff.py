"""diff_states: attribute-level differences between two state versions, masked (pure, no bridge)."""

from __future__ import annotations

from typing import Any

from fedstack.bridge._resources import AttributeDiff, diff_states
from fedstack.contracts import MASK


def _state(*resources: tuple[str, dict[str, Any], list[Any]]) -> dict[str, Any]:
    return {
        "version": 4,
        "resources": [
            {
                "mode": "managed",
                "type": "aws_s3_bucket",
                "name": name,
                "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
                "instances": [{"attributes": attributes, "sensitive_attributes": marks}],
            }
            for name, attributes, marks in resources
        ],
    }


def test_changed_attributes_added_and_removed_resources_with_secrets_masked() -> None:
    secret_mark = [[{"type": "get_attr", "value": "conn"}]]
    before = _state(
        ("a", {"tags": {"owner": "alice"}, "conn": "s3cr3t-old", "password": "p1"}, secret_mark),
        ("gone", {"id": "g"}, []),
    )
    after = _state(
        ("a", {"tags": {"owner": "mallory"}, "conn": "s3cr3t-new", "password": "p2"}, secret_mark),
        ("new", {"id": "n"}, []),
    )
    diffs = diff_states(before, after)
    assert diffs == [
        AttributeDiff("aws_s3_bucket.a", "changed", "conn", MASK, MASK),
        AttributeDiff("aws_s3_bucket.a", "changed", "password", MASK, MASK),
        AttributeDiff("aws_s3_bucket.a", "changed", "tags.owner", "alice", "mallory"),
        AttributeDiff("aws_s3_bucket.gone", "removed"),
        AttributeDiff("aws_s3_bucket.new", "added"),
    ]
    assert "s3cr3t" not in repr(diffs) and "p1" not in repr(diffs)


def test_identical_versions_have_no_differences() -> None:
    same = _state(("a", {"id": "x", "tags": {"k": "v"}}, []))
    assert diff_states(same, same) == []
