"""`fedstack exit PROVIDER --estate --plan-only`: a plain Terraform estate, from a real bridge.

States are written to the bridge as Terraform would; the inventory places them by region.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from bridge_helpers import (
    BridgeProcess,
    bearer,
    make_tokens,
    new_lineage,
    post_state_indexed,
    state_body,
    unique,
)

from fedstack.catalog import load_catalog
from fedstack.exit import plan_estate_exit
from fedstack.policy import load_policy


def _resource(kind: str, name: str, region: str, module: str | None) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "mode": "managed",
        "type": kind,
        "name": name,
        "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
        "instances": [
            {
                "schema_version": 0,
                "attributes": {"id": name, "bucket": name, "region": region},
                "sensitive_attributes": [],
            }
        ],
    }
    if module:
        resource["module"] = module
    return resource


def test_estate_plan_lists_modules_elsewhere_and_what_cannot_move(
    sqlite_bridge: BridgeProcess,
) -> None:
    tokens = make_tokens(sqlite_bridge.db_url, unique("estate"))
    # eu-west-3 is sandbox-fr's fr-par; eu-central-1 sandbox-de's de-fra.
    states = {
        "storage": [
            _resource("aws_s3_bucket", "assets", "eu-west-3", "module.assets"),
            _resource("aws_s3_bucket_versioning", "assets", "eu-west-3", "module.assets"),
            _resource("aws_iam_user", "deployer", "eu-west-3", None),
        ],
        "elsewhere": [_resource("aws_s3_bucket", "logs", "eu-central-1", None)],
    }
    for stack, resources in states.items():
        post_state_indexed(
            f"{sqlite_bridge.url}/v1/states/{tokens.project}/{stack}",
            content=state_body(1, new_lineage(), resources),
            headers=bearer(tokens.write),
        )
    done = subprocess.run(
        [sys.executable, "-m", "fedstack.cli", "exit", "sandbox-fr", "--estate", "--plan-only"]
        + ["--bridge", sqlite_bridge.url, "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "FEDSTACK_BRIDGE_TOKEN": tokens.read},
    )
    assert done.returncode == 2, done.stderr  # the IAM user has no fedstack module
    plan = json.loads(done.stdout)
    by_address = {r["address"]: r for r in plan["resources"]}
    assert set(by_address) == {
        "module.assets.aws_s3_bucket.assets",
        "module.assets.aws_s3_bucket_versioning.assets",
        "aws_iam_user.deployer",
    }
    bucket = by_address["module.assets.aws_s3_bucket.assets"]
    assert bucket["capability"] == "object_storage" and bucket["target"] is not None
    assert not bucket["target"].startswith("sandbox-fr/")
    assert "sandbox-de: modules/object_storage/sandbox" in bucket["modules"]
    assert not any(m.startswith("sandbox-fr:") for m in bucket["modules"])
    part = by_address["module.assets.aws_s3_bucket_versioning.assets"]
    assert part["needs"] == "part of module.assets: moves with module.assets.aws_s3_bucket.assets"
    assert by_address["aws_iam_user.deployer"]["target"] is None
    assert "1 cannot" in done.stderr


def test_estate_exit_with_no_candidate_under_the_policy_names_the_rule() -> None:
    items = [
        {
            "project": "p",
            "stack": "s",
            "address": "aws_s3_bucket.b",
            "type": "aws_s3_bucket",
            "module": None,
            "provider": "sandbox-fr",
            "region": "fr-par",
        }
    ]
    plan = plan_estate_exit(items, load_catalog(), load_policy("gaia-x-label-2"), "sandbox-fr")
    [resource] = plan.blocked
    assert "policy gaia-x-label-min refused the last" in resource.needs
