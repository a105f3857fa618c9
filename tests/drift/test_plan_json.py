"""Plan reading on hand-written `show -json` documents: flattening, masking, deletions, versions."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fedstack.drift import PlanFormatError, read_drift
from fedstack.drift.plan_json import flatten, managed_addresses, provider_regions
from fedstack.drift.schema import MASK


def plan(*drift: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A minimal refresh-only plan document around some resource_drift entries."""
    return {
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "resource_drift": list(drift),
        **extra,
    }


def entry(
    address: str, before: Any, after: Any, actions: list[str] | None = None, **change: Any
) -> dict[str, Any]:
    type_, name = address.split(".")[-2:]
    module = address.rsplit(".", 2)[0] if address.startswith("module.") else None
    body = {
        "address": address,
        "mode": "managed",
        "type": type_,
        "name": name,
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "change": {"actions": actions or ["update"], "before": before, "after": after, **change},
    }
    if module:
        body["module_address"] = module
    return body


def by_path(resource) -> dict[str, tuple[Any, Any]]:
    return {c.path: (c.before, c.after) for c in resource.changes}


def test_nested_values_become_dotted_paths_with_list_indexes() -> None:
    before = {
        "tags": {"owner": "alice"},
        "ingress": [{"cidr_blocks": ["10.0.0.0/8", "192.0.2.0/24"]}],
    }
    after = {
        "tags": {"owner": "bob"},
        "ingress": [{"cidr_blocks": ["10.0.0.0/8", "198.51.100.0/24"]}],
    }
    (resource,) = read_drift(plan(entry("aws_security_group.web", before, after)))
    assert by_path(resource) == {
        "ingress.0.cidr_blocks.1": ("192.0.2.0/24", "198.51.100.0/24"),
        "tags.owner": ("alice", "bob"),
    }
    assert resource.kind == "update"


def test_added_and_removed_keys_show_the_missing_side_as_null() -> None:
    before = {"tags": {"owner": "alice"}}
    after = {"tags": {"team": "ops"}}
    (resource,) = read_drift(plan(entry("aws_s3_bucket.b", before, after)))
    assert by_path(resource) == {"tags.owner": ("alice", None), "tags.team": (None, "ops")}


def test_list_indexes_sort_numerically() -> None:
    before = {"ports": list(range(12))}
    after = {"ports": [p + 100 for p in range(12)]}
    (resource,) = read_drift(plan(entry("aws_thing.t", before, after)))
    assert [c.path for c in resource.changes][:3] == ["ports.0", "ports.1", "ports.2"]
    assert [c.path for c in resource.changes][-1] == "ports.11"


def test_null_against_empty_collection_is_not_drift() -> None:
    # Terraform reports this (tags: null -> {}) after reading some resources back; it is noise.
    document = plan(
        entry(
            "aws_route53_zone.z", {"tags": None, "name": "a.test"}, {"tags": {}, "name": "a.test"}
        )
    )
    assert read_drift(document) == []


def test_resource_deleted_out_of_band_is_a_deletion_without_attribute_diffs() -> None:
    document = plan(
        entry("aws_route53_record.www", {"name": "www", "records": ["192.0.2.1"]}, None, ["delete"])
    )
    (resource,) = read_drift(document)
    assert resource.kind == "delete"
    assert resource.changes == []


def test_module_address_and_provider_are_kept() -> None:
    (resource,) = read_drift(
        plan(entry("module.bucket.aws_s3_bucket.this", {"acl": "a"}, {"acl": "b"}))
    )
    assert (resource.address, resource.module, resource.type, resource.name) == (
        "module.bucket.aws_s3_bucket.this",
        "module.bucket",
        "aws_s3_bucket",
        "this",
    )
    assert resource.terraform_provider == "registry.terraform.io/hashicorp/aws"


def test_values_under_before_or_after_sensitive_are_masked() -> None:
    document = plan(
        entry(
            "aws_db_instance.db",
            {"password": "hunter2-old", "settings": {"key": "k-old"}, "port": 5432},
            {"password": "hunter2-new", "settings": {"key": "k-new"}, "port": 5433},
            before_sensitive={"password": True},
            after_sensitive={"settings": True},
        )
    )
    (resource,) = read_drift(document)
    changes = {c.path: c for c in resource.changes}
    assert (
        changes["password"].before,
        changes["password"].after,
        changes["password"].sensitive,
    ) == (MASK, MASK, True)
    assert (changes["settings.key"].before, changes["settings.key"].after) == (MASK, MASK)
    assert (changes["port"].before, changes["port"].after, changes["port"].sensitive) == (
        5432,
        5433,
        False,
    )
    assert "hunter2" not in json.dumps([c.model_dump() for c in resource.changes])


def test_state_sensitive_marks_mask_values_the_drift_entry_does_not_mark() -> None:
    drifted = entry(
        "aws_s3_bucket.b",
        {"tags": {"token": "tok-old-value"}},
        {"tags": {"token": "tok-new-value"}},
    )
    state = {
        "values": {
            "root_module": {
                "resources": [
                    {
                        "address": "aws_s3_bucket.b",
                        "mode": "managed",
                        "values": {"tags": {"token": "tok-new-value"}},
                        "sensitive_values": {"tags": {"token": True}},
                    }
                ]
            }
        }
    }
    (resource,) = read_drift(plan(drifted, prior_state=state))
    assert by_path(resource) == {"tags.token": (MASK, MASK)}


def test_copies_of_a_sensitive_value_in_unmarked_attributes_are_masked() -> None:
    # The aws provider copies tags into tags_all without carrying the sensitive mark.
    before = {
        "tags": {"token": "s3cr3t-before"},
        "tags_all": {"token": "s3cr3t-before", "copy": "s3cr3t-before", "env": "prod"},
    }
    after = {
        "tags": {"token": "s3cr3t-after!"},
        "tags_all": {"token": "s3cr3t-after!", "copy": "s3cr3t-after!", "env": "dev"},
    }
    marks = {"tags": {"token": True}, "tags_all": {}}
    document = plan(
        entry("aws_s3_bucket.b", before, after, before_sensitive=marks, after_sensitive=marks)
    )
    (resource,) = read_drift(document)
    assert by_path(resource) == {
        "tags.token": (MASK, MASK),
        "tags_all.copy": (MASK, MASK),
        "tags_all.env": ("prod", "dev"),
    }


def test_tags_all_mirroring_a_tag_change_is_shown_once_as_the_tag() -> None:
    # tags_all = tags + the provider's default_tags: a tag changed in the console shows in both.
    before = {
        "tags": {"owner": "ops", "team": "a"},
        "tags_all": {"owner": "ops", "team": "a", "env": "prod", "cost": "1"},
    }
    after = {
        "tags": {"owner": "intern", "team": "a"},
        # team: tags_all differs from tags (not a mirror); env: a default tag changed; cost: gone
        "tags_all": {"owner": "intern", "team": "b", "env": "dev"},
    }
    (resource,) = read_drift(plan(entry("aws_s3_bucket.b", before, after)))
    assert by_path(resource) == {
        "tags.owner": ("ops", "intern"),
        "tags_all.cost": ("1", None),
        "tags_all.env": ("prod", "dev"),
        "tags_all.team": ("a", "b"),
    }


def test_values_of_sensitive_root_variables_mask_both_sides_of_the_attribute_holding_them() -> None:
    document = plan(
        entry(
            "aws_instance.vm", {"user_data": "echo old"}, {"user_data": "export KEY=var-secret-42"}
        ),
        variables={"key": {"value": "var-secret-42"}},
        configuration={"root_module": {"variables": {"key": {"sensitive": True}}}},
    )
    (resource,) = read_drift(document)
    change = resource.changes[0]
    # One side holding a secret makes the attribute sensitive: its other side may be the old secret.
    assert (change.before, change.after, change.sensitive) == (MASK, MASK, True)


def test_sensitive_whole_resource_marks_mask_every_attribute() -> None:
    document = plan(
        entry(
            "aws_secret.s",
            {"a": "x1", "b": ["y1"]},
            {"a": "x2", "b": ["y2"]},
            before_sensitive=True,
        )
    )
    (resource,) = read_drift(document)
    assert all(c.before == MASK and c.after == MASK for c in resource.changes)


def test_data_sources_are_not_drift() -> None:
    data = entry("data.aws_ami.x", {"id": "a"}, {"id": "b"})
    data["mode"] = "data"
    assert read_drift(plan(data)) == []


def test_region_attribute_is_read_for_placement() -> None:
    (resource,) = read_drift(
        plan(
            entry(
                "aws_s3_bucket.b",
                {"region": "eu-west-3", "acl": "a"},
                {"region": "eu-west-3", "acl": "b"},
            )
        )
    )
    assert resource.region_attribute == "eu-west-3"


@pytest.mark.parametrize("version", ["2.0", "0.1", "", None, 3])
def test_unknown_or_missing_format_version_is_a_clear_error(version: Any) -> None:
    document = plan(entry("aws_s3_bucket.b", {"acl": "a"}, {"acl": "b"}))
    document["format_version"] = version
    with pytest.raises(PlanFormatError, match="format_version"):
        read_drift(document)


def test_any_1x_format_version_is_accepted() -> None:
    document = plan(entry("aws_s3_bucket.b", {"acl": "a"}, {"acl": "b"}))
    document["format_version"] = "1.9"
    assert len(read_drift(document)) == 1


def test_a_document_that_is_not_an_object_is_a_clear_error() -> None:
    with pytest.raises(PlanFormatError, match="not an object"):
        read_drift([])  # type: ignore[arg-type]


def test_flatten_drops_empty_collections_and_nulls() -> None:
    assert flatten({"a": {}, "b": [], "c": None, "d": [{"e": 1}], "f": False}) == {
        ("d", 0, "e"): 1,
        ("f",): False,
    }


def test_managed_addresses_and_provider_regions_are_read_from_state_and_configuration() -> None:
    document = plan(
        prior_state={
            "values": {
                "root_module": {
                    "resources": [
                        {"address": "aws_instance.a", "mode": "managed"},
                        {"address": "data.x.y", "mode": "data"},
                    ],
                    "child_modules": [
                        {"resources": [{"address": "module.m.aws_s3_bucket.b", "mode": "managed"}]}
                    ],
                }
            }
        },
        configuration={
            "provider_config": {
                "aws": {"expressions": {"region": {"constant_value": "eu-central-1"}}}
            }
        },
    )
    assert managed_addresses(document) == ["aws_instance.a", "module.m.aws_s3_bucket.b"]
    assert provider_regions(document) == ["eu-central-1"]
