"""Merged refresh and shards on the sandbox: one Terraform run over many stacks, same report.

Six stacks are applied for real (hashicorp/aws against moto on loopback; one on a real bridge's
http backend), changed out of band with boto3, then checked stack by stack (`merge=False`) and
merged. The two reports must be equal less timings and the merge fields; a stack whose provider
depends on a local value is checked alone and named; a broken stack fails in both; no state is
written and the private temporary folder is gone afterwards. Then the same stacks are checked
in three shards by separate `fedstack drift` processes posting to a real bridge: one run group,
one exit code and one webhook notification once all shards reported. Nothing is mocked.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from bridge_helpers import BridgeProcess, make_tokens, wait_until
from cli_helpers import FEDSTACK

from fedstack.drift import DriftOptions, discover_stacks, run_drift
from fedstack.drift.schema import MASK, DriftReport
from fedstack.sandbox import SANDBOX_CREDENTIALS, SandboxServer, aws_provider_config
from fedstack.terraform import Terraform

from .conftest import BridgeReceiver, RealBridge, serve_receiver
from sandbox_helpers import sandbox_client

pytestmark = pytest.mark.slow


def _hcl(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _provider_hcl(config: dict[str, Any], *, region: str | None = None, **extra: str) -> str:
    """A `provider "aws"` block in HCL with the same arguments as aws_provider_config."""
    lines = ['provider "aws" {']
    for key, value in {**config, **extra}.items():
        if key == "endpoints":
            lines.append("  endpoints {")
            lines += [f"    {s} = {_hcl(e)}" for s, e in value[0].items()]
            lines.append("  }")
        elif key == "region" and region is not None:
            lines.append(f"  region = {region}")
        else:
            lines.append(f"  {key} = {_hcl(value)}")
    lines.append("}")
    return "\n".join(lines) + "\n"


_REQUIRED = """terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.0, < 6.0"
    }
  }
%s}
"""


@dataclass
class Fleet:
    """The applied stacks, their bucket names, and what the runs need."""

    root: Path
    buckets: dict[str, str]
    env: dict[str, str]
    servers: dict[str, SandboxServer]
    bridge: RealBridge
    secret: str

    def s3(self, provider: str, region: str) -> Any:
        return sandbox_client("s3", self.servers[provider].endpoint, region)


def _write_stacks(root: Path, fr: SandboxServer, de: SandboxServer, b: dict[str, str], url: str):  # type: ignore[no-untyped-def]
    fr_config = aws_provider_config(fr.endpoint, "eu-west-3")
    de_config = aws_provider_config(de.endpoint, "eu-central-1")
    # two: a default and an aliased provider on two sandbox clouds.
    (root / "two").mkdir(parents=True)
    (root / "two" / "main.tf").write_text(
        _REQUIRED % ""
        + _provider_hcl(fr_config)
        + _provider_hcl(de_config, alias="de")
        + f"""
resource "aws_s3_bucket" "fr" {{
  bucket        = "{b["two_fr"]}"
  force_destroy = true
  tags          = {{ owner = "alice" }}
}}

resource "aws_s3_bucket" "de" {{
  provider      = aws.de
  bucket        = "{b["two_de"]}"
  force_destroy = true
  tags          = {{ owner = "alice" }}
}}
"""
    )
    # mod: a module of the fleet (relative source) called with count, in Terraform JSON.
    (root / "shared" / "bucket").mkdir(parents=True)
    (root / "shared" / "bucket" / "main.tf").write_text(
        'variable "name" {\n  type = string\n}\n\n'
        'resource "aws_s3_bucket" "this" {\n  bucket        = var.name\n'
        '  force_destroy = true\n  tags          = { team = "web" }\n}\n'
    )
    (root / "mod").mkdir()
    (root / "mod" / "main.tf.json").write_text(
        json.dumps(
            {
                "terraform": {
                    "required_providers": {
                        "aws": {"source": "hashicorp/aws", "version": ">= 5.0, < 6.0"}
                    }
                },
                "provider": {"aws": [fr_config]},
                "module": {
                    "buckets": {
                        "source": "../shared/bucket",
                        "count": 2,
                        "name": f"{b['mod']}-${{count.index}}",
                    }
                },
            },
            indent=2,
        )
    )
    (root / "mod" / "fedstack.json").write_text(
        json.dumps({"provider": "sandbox-fr", "region": "fr-par"})
    )
    # vars: provider region and buckets from terraform.tfvars, a sensitive TF_VAR, for_each and
    # a data source.
    (root / "vars").mkdir()
    (root / "vars" / "main.tf").write_text(
        _REQUIRED % ""
        + _provider_hcl(fr_config, region="var.region")
        + """
variable "region" {
  type = string
}

variable "names" {
  type = set(string)
}

variable "token" {
  type      = string
  sensitive = true
}

resource "aws_s3_bucket" "each" {
  for_each      = var.names
  bucket        = each.value
  force_destroy = true
  tags          = { token = var.token }
}

data "aws_s3_bucket" "first" {
  bucket = aws_s3_bucket.each[sort(tolist(var.names))[0]].bucket
}

output "first_arn" {
  value = data.aws_s3_bucket.first.arn
}
"""
    )
    (root / "vars" / "terraform.tfvars").write_text(
        f'region = "eu-west-3"\nnames  = ["{b["vars_a"]}", "{b["vars_b"]}"]\n'
    )
    # http: state on the real bridge.
    state = f"{url}/v1/states/drift/http"
    backend = (
        f'  backend "http" {{\n    address        = "{state}"\n'
        f'    lock_address   = "{state}/lock"\n    unlock_address = "{state}/lock"\n  }}\n'
    )
    (root / "http").mkdir()
    (root / "http" / "main.tf").write_text(
        _REQUIRED % backend
        + _provider_hcl(fr_config)
        + f"""
resource "aws_s3_bucket" "b" {{
  bucket        = "{b["http"]}"
  force_destroy = true
  tags          = {{ owner = "alice" }}
}}
"""
    )
    # alone: the provider's region comes from a local value, known only inside the stack.
    (root / "alone").mkdir()
    (root / "alone" / "main.tf").write_text(
        _REQUIRED % ""
        + 'locals {\n  region = "eu-west-3"\n}\n\n'
        + _provider_hcl(fr_config, region="local.region")
        + f"""
resource "aws_s3_bucket" "b" {{
  bucket        = "{b["alone"]}"
  force_destroy = true
}}
"""
    )
    (root / "broken").mkdir()
    (root / "broken" / "main.tf").write_text(
        'provider "aws" {}\n\nresource "aws_s3_bucket" "b" {\n  bucket = \n'
    )


@pytest.fixture(scope="module")
def fleet(
    sandbox: dict[str, SandboxServer],
    real_bridge: RealBridge,
    tmp_path_factory: pytest.TempPathFactory,
) -> Fleet:
    """Apply the five working stacks once for this module, then change three out of band."""
    root = tmp_path_factory.mktemp("merged") / "stacks"
    suffix = secrets.token_hex(3)
    names = ("two_fr", "two_de", "mod", "vars_a", "vars_b", "http", "alone")
    buckets = {n: f"m-{n.replace('_', '-')}-{suffix}" for n in names}
    secret = f"tok-{secrets.token_hex(8)}"
    env = {
        **SANDBOX_CREDENTIALS,
        "TF_VAR_token": secret,
        "TF_HTTP_USERNAME": "fedstack",
        "TF_HTTP_PASSWORD": real_bridge.tokens.write,
    }
    _write_stacks(root, sandbox["sandbox-fr"], sandbox["sandbox-de"], buckets, real_bridge.url)

    def apply(name: str) -> None:
        tf = Terraform(root / name, env=env)
        tf.init()
        tf.apply()

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(apply, ["two", "mod", "vars", "http", "alone"]))
    fleet = Fleet(root, buckets, env, sandbox, real_bridge, secret)
    s3_fr = fleet.s3("sandbox-fr", "eu-west-3")
    s3_fr.put_bucket_tagging(
        Bucket=buckets["two_fr"], Tagging={"TagSet": [{"Key": "owner", "Value": "mallory"}]}
    )
    s3_fr.delete_bucket(Bucket=f"{buckets['mod']}-1")
    s3_fr.put_bucket_tagging(
        Bucket=buckets["vars_a"], Tagging={"TagSet": [{"Key": "token", "Value": f"x{secret}"}]}
    )
    s3_fr.put_bucket_tagging(
        Bucket=buckets["http"], Tagging={"TagSet": [{"Key": "owner", "Value": "eve"}]}
    )
    return fleet


def _comparable(report: DriftReport) -> dict[str, Any]:
    """The report JSON less timings, run id and the merge fields."""
    data = report.model_dump(mode="json")
    for key in ("run_id", "started_at", "finished_at"):
        data.pop(key)
    for stack in data["stacks"]:
        for key in ("duration_seconds", "merged", "not_merged_reason"):
            stack.pop(key)
    return data


def _states(fleet: Fleet) -> dict[str, bytes]:
    found = {
        name: (fleet.root / name / "terraform.tfstate").read_bytes()
        for name in ("two", "mod", "vars", "alone")
    }
    answer = httpx.get(
        f"{fleet.bridge.url}/v1/states/drift/http",
        auth=("fedstack", fleet.bridge.tokens.read),
        timeout=30,
    )
    assert answer.status_code == 200
    found["http"] = answer.content
    return found


def test_merged_report_equals_stack_by_stack(
    fleet: Fleet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same stacks, drift, masking and exit code; alone and broken named; nothing written."""
    stacks = discover_stacks([fleet.root])
    assert sorted(s.name for s in stacks) == ["alone", "broken", "http", "mod", "two", "vars"]
    before = _states(fleet)
    alone = run_drift(stacks, DriftOptions(parallel=2, env=fleet.env, merge=False))

    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    merged = run_drift(stacks, DriftOptions(parallel=2, env=fleet.env))
    assert list(private.iterdir()) == []  # the temporary root, state and plan are gone

    assert _comparable(merged) == _comparable(alone)
    assert _states(fleet) == before  # nothing written to any backend

    by_name = {s.name: s for s in merged.stacks}
    assert {n for n, s in by_name.items() if s.merged} == {"two", "mod", "vars", "http"}
    assert "known only inside the stack" in (by_name["alone"].not_merged_reason or "")
    assert "cannot be parsed" in (by_name["broken"].not_merged_reason or "")
    assert not any(s.merged for s in alone.stacks)

    # And the shared report is right, not only equal.
    assert merged.exit_code == 1
    assert by_name["broken"].status == "error"
    assert by_name["alone"].status == "in_sync"
    drifted = {
        (s.name, r.address): (r.kind, sorted(c.path for c in r.changes))
        for s in merged.stacks
        for r in s.drift
    }
    assert drifted == {
        ("two", "aws_s3_bucket.fr"): ("update", ["tags.owner"]),
        ("mod", "module.buckets[1].aws_s3_bucket.this"): ("delete", []),
        ("vars", f'aws_s3_bucket.each["{fleet.buckets["vars_a"]}"]'): (
            "update",
            ["tags.token"],
        ),
        ("http", "aws_s3_bucket.b"): ("update", ["tags.owner"]),
    }
    (vars_drift,) = by_name["vars"].drift
    assert all(c.before == MASK and c.after == MASK for c in vars_drift.changes)
    assert fleet.secret not in merged.model_dump_json()
    assert by_name["mod"].provider == "sandbox-fr"
    assert by_name["mod"].drift[0].location is not None
    assert by_name["mod"].drift[0].location.file.endswith("mod/main.tf.json")
    assert sorted(by_name["two"].resources_checked) == ["aws_s3_bucket.de", "aws_s3_bucket.fr"]


@pytest.fixture(scope="module")
def webhook_bridge(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Any, Any, BridgeReceiver]]:
    """A second real bridge whose webhook goes to a loopback receiver (to count notifications)."""
    folder = tmp_path_factory.mktemp("shard-bridge")
    db_url = f"sqlite:///{folder / 'bridge.sqlite3'}"
    tokens = make_tokens(db_url, "fleet")
    with serve_receiver() as receiver:
        args = ["--webhook", f"{receiver.url}/hook"]
        process = BridgeProcess(db_url, folder / "bridge.log", args).start()
        try:
            yield process, tokens, receiver
        finally:
            process.stop()


def test_shards_from_separate_processes_make_one_run(
    fleet: Fleet, webhook_bridge: tuple[Any, Any, BridgeReceiver], tmp_path: Path
) -> None:
    """Three `fedstack drift --shard K/3` processes: one run group, one exit code, one webhook."""
    process, tokens, receiver = webhook_bridge
    group = f"ci-{secrets.token_hex(4)}"
    env = {
        **os.environ,
        **fleet.env,
        "FEDSTACK_BRIDGE_TOKEN": tokens.admin,
        "GITHUB_STEP_SUMMARY": "",
    }

    def shard(index: int) -> subprocess.CompletedProcess[str]:
        command = [FEDSTACK, "drift", str(fleet.root), "--shard", f"{index}/3"]
        command += ["--run-group", group, "--bridge", process.url, "--format", "json"]
        command += ["--out", str(tmp_path / f"shard-{index}")]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)

    def group_state() -> dict[str, Any]:
        answer = httpx.get(
            f"{process.url}/v1/drift-run-groups/{group}",
            headers={"Authorization": f"Bearer {tokens.read}"},
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        return answer.json()

    with ThreadPoolExecutor(max_workers=2) as pool:
        first = list(pool.map(shard, [1, 2]))
    assert all(r.returncode in (0, 1, 2) for r in first), [r.stderr[-800:] for r in first]
    partial = group_state()
    assert partial["shards_reported"] == [1, 2] and partial["shards_missing"] == [3]
    assert partial["complete"] is False and partial["group_exit_code"] is None
    assert [r for r in receiver.requests if r.path == "/hook"] == []  # no notification yet

    last = shard(3)
    assert last.returncode in (0, 1, 2), last.stderr[-800:]
    assert "shards 1, 2, 3 of 3 reported; group exit code 1" in last.stderr
    whole = group_state()
    assert whole["complete"] is True and whole["group_exit_code"] == 1  # the broken stack
    names = [s["name"] for s in whole["stacks"]]
    assert names == ["alone", "broken", "http", "mod", "two", "vars"]
    assert sorted({s["shard"] for s in whole["stacks"]}) == [1, 2, 3]

    wait_until(
        lambda: any(r.path == "/hook" for r in receiver.requests),
        timeout=60,
        what="the run group's webhook notification",
    )
    hooks = [json.loads(r.body) for r in receiver.requests if r.path == "/hook"]
    assert len(hooks) == 1
    assert hooks[0]["run_group"] == group
    assert {c["stack"] for c in hooks[0]["changes"]} == {"two", "mod", "vars", "http"}
