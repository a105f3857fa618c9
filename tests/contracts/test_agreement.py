"""Writers and readers of the shared contracts agree: the manifest, fedstack.json and masking.

Each test feeds one document to every reader that used to read it its own way (deploy and
drift for the manifest and fedstack.json; the inventory and the drift report for masking).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fedstack.bridge._resources import resource_rows
from fedstack.drift import DriftError, read_drift
from fedstack.drift.stacks import discover_stacks

from fedstack.catalog import load_catalog
from fedstack.contracts import (
    MASK,
    ManifestError,
    StackMetadata,
    StackMetadataError,
    stack_placement,
    write_stack_metadata,
)
from fedstack.stacks import read_stacks


def _synth_out(tmp_path: Path, names: list[str]) -> Path:
    """A synth output folder whose manifest lists `names` in that (unsorted) order."""
    stacks = {}
    for name in names:
        folder = tmp_path / "stacks" / name
        folder.mkdir(parents=True)
        (folder / "cdk.tf.json").write_text('{"terraform": {"backend": {"local": {}}}}')
        stacks[name] = {
            "workingDirectory": f"stacks/{name}",
            "synthesizedStackPath": f"stacks/{name}/cdk.tf.json",
            "dependencies": [],
        }
    (tmp_path / "manifest.json").write_text(json.dumps({"stacks": stacks}))
    return tmp_path


def test_deploy_and_drift_read_the_manifest_in_the_same_order(tmp_path: Path) -> None:
    out = _synth_out(tmp_path, ["shop-sandbox-nl-nl-ams", "shop-sandbox-de-de-fra", "a-first"])
    deployed = [s.name for s in read_stacks(out)]
    checked = [s.name for s in discover_stacks([out])]
    assert deployed == checked == ["a-first", "shop-sandbox-de-de-fra", "shop-sandbox-nl-nl-ams"]


def test_a_broken_manifest_is_a_clean_error_for_both_readers(tmp_path: Path) -> None:
    (tmp_path / "stacks").mkdir()
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(ManifestError, match="not a cdktf manifest"):
        read_stacks(tmp_path)
    with pytest.raises(DriftError, match="not a cdktf manifest"):
        discover_stacks([tmp_path])


def test_a_broken_fedstack_json_is_the_same_clean_error_for_deploy_and_drift(
    tmp_path: Path,
) -> None:
    out = _synth_out(tmp_path, ["shop"])
    (out / "stacks" / "shop" / "fedstack.json").write_text("{not json")
    with pytest.raises(StackMetadataError, match="fedstack.json: not a stack metadata file"):
        read_stacks(out)
    with pytest.raises(StackMetadataError, match="fedstack.json: not a stack metadata file"):
        stack_placement(out / "stacks" / "shop", load_catalog())


def test_what_the_writer_writes_every_reader_reads(tmp_path: Path) -> None:
    out = _synth_out(tmp_path, ["shop-sandbox-fr-fr-par"])
    written = StackMetadata(
        provider="sandbox-fr", region="fr-par", workload="shop", stack="shop-sandbox-fr-fr-par"
    )
    write_stack_metadata(out / "stacks" / "shop-sandbox-fr-fr-par", written)
    (stack,) = read_stacks(out)
    assert stack.meta == written
    assert (stack.provider, stack.region) == ("sandbox-fr", "fr-par")
    placement = stack_placement(stack.workdir, load_catalog())
    assert placement is not None
    assert (placement.provider, placement.region, placement.country) == (
        "sandbox-fr",
        "fr-par",
        "FR",
    )


_UNMARKED_SECRETS: dict[str, Any] = {
    "db_password": "hunter2-but-longer",
    "api_token": "tok-123456",
    "private_key": "-----BEGIN KEY-----",
    "dsn": "postgresql://app:s3cr3t@db.internal:5432/shop",
    "owner": "alice",
}


def _state(tags: dict[str, Any]) -> dict[str, Any]:
    return {
        "version": 4,
        "resources": [
            {
                "mode": "managed",
                "type": "aws_s3_bucket",
                "name": "data",
                "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
                "instances": [{"attributes": {"bucket": "data", "tags": tags}}],
            }
        ],
    }


def _drift_plan(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    return {
        "format_version": "1.2",
        "resource_drift": [
            {
                "address": "aws_s3_bucket.data",
                "mode": "managed",
                "type": "aws_s3_bucket",
                "name": "data",
                "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": {
                    "actions": ["update"],
                    "before": {"bucket": "data", "tags": before},
                    "after": {"bucket": "data", "tags": after},
                },
            }
        ],
    }


def test_inventory_and_drift_report_mask_the_same_unmarked_values() -> None:
    (row,) = resource_rows(_state(_UNMARKED_SECRETS))
    in_inventory = {k for k, v in row.attributes["tags"].items() if v == MASK}

    changed = {k: f"{v}-changed" for k, v in _UNMARKED_SECRETS.items()}
    (resource,) = read_drift(_drift_plan(_UNMARKED_SECRETS, changed))
    in_report = {c.path.split(".", 1)[1] for c in resource.changes if c.sensitive}
    for change in resource.changes:
        if change.sensitive:
            assert change.before == change.after == MASK

    assert in_inventory == in_report == {"db_password", "api_token", "private_key", "dsn"}
    assert row.attributes["tags"]["owner"] == "alice"
