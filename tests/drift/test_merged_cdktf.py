"""Merged refresh of a cdktf.out folder (manifest.json, stacks/<name>/cdk.tf.json).

Two synthesized-shape stacks of `terraform_data` resources (Terraform's built-in provider, so no
provider boots), with a local backend, cdktf's `//` metadata keys and a module asset under a
relative path, applied for real; merged and stack-by-stack checks must give the same report.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fedstack.drift import DriftOptions, discover_stacks, run_drift

from fedstack.terraform import Terraform

from .test_merged import _comparable

pytestmark = pytest.mark.slow


def _stack(out: Path, name: str) -> None:
    folder = out / "stacks" / name
    asset = folder / "assets" / "__cdktf_module_asset_26CE565C" / "HASH"
    asset.mkdir(parents=True)
    (asset / "main.tf").write_text(
        'variable "label" {\n  type = string\n}\n\n'
        'resource "terraform_data" "inner" {\n  input = var.label\n}\n'
    )
    config = {
        "//": {"metadata": {"backend": "local", "stackName": name, "version": "0.20.0"}},
        "terraform": {"backend": {"local": {"path": "terraform.tfstate"}}},
        "resource": {"terraform_data": {"app": {"//": {"path": f"{name}/app"}, "input": name}}},
        "module": {
            "inner": {
                "source": "./assets/__cdktf_module_asset_26CE565C/HASH",
                "label": f"{name}-inner",
            }
        },
        "output": {"app_id": {"value": "${terraform_data.app.id}"}},
    }
    (folder / "cdk.tf.json").write_text(json.dumps(config, indent=2))


def test_cdktf_out_stacks_merge_with_the_same_report(tmp_path: Path) -> None:
    out = tmp_path / "cdktf.out"
    names = ["api", "web"]
    for name in names:
        _stack(out, name)
    manifest = {
        "version": "0.20.0",
        "stacks": {
            n: {
                "name": n,
                "workingDirectory": f"stacks/{n}",
                "synthesizedStackPath": f"stacks/{n}/cdk.tf.json",
            }
            for n in names
        },
    }
    (out / "manifest.json").write_text(json.dumps(manifest))
    for name in names:
        tf = Terraform(out / "stacks" / name)
        tf.init()
        tf.apply()
    stacks = discover_stacks([out])
    assert [s.source for s in stacks] == ["cdktf", "cdktf"]
    alone = run_drift(stacks, DriftOptions(merge=False))
    merged = run_drift(stacks, DriftOptions())
    assert [s.merged for s in merged.stacks] == [True, True], merged.stacks
    assert _comparable(merged) == _comparable(alone)
    assert merged.exit_code == 0
    assert merged.stacks[0].resources_checked == [
        "module.inner.terraform_data.inner",
        "terraform_data.app",
    ]
