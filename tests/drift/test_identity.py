"""One identity per stack: the bridge state address names it, and drift files its runs there.

The end-to-end test does what a plain Terraform user does: a folder with `backend "http"` at a
real bridge on loopback, `terraform init` and `apply` against the sandbox, then
`fedstack drift . --bridge` from inside the folder; nothing is mocked.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from bridge_helpers import ProjectBridge, project_bridge
from cli_helpers import FEDSTACK

from fedstack.sandbox import SANDBOX_CREDENTIALS, SandboxServer
from fedstack.stacks import stack_identity
from fedstack.terraform import Terraform


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)
    return folder


def test_identity_comes_from_the_hcl_backend_address(tmp_path: Path) -> None:
    folder = _write(
        tmp_path / "storage",
        "main.tf",
        'terraform {\n  backend "http" {\n    address = "http://b:8765/v1/states/acme/storage-fr"\n'
        '    lock_method = "LOCK"\n  }\n}\n',
    )
    found = stack_identity(folder, names=("other", "ignored"))
    assert (found.project, found.stack, found.source) == ("acme", "storage-fr", "backend")


def test_identity_comes_from_a_tfbackend_file_then_tf_http_address(tmp_path: Path) -> None:
    folder = _write(tmp_path / "web", "main.tf", 'terraform {\n  backend "http" {}\n}\n')
    env = {"TF_HTTP_ADDRESS": "https://b.example.eu/v1/states/shop/from-env"}
    assert str(stack_identity(folder, env=env)) == "shop/from-env"
    _write(folder, "prod.tfbackend", 'address = "https://b.example.eu/v1/states/shop/web-prod"\n')
    assert str(stack_identity(folder, env=env)) == "shop/web-prod"


def test_identity_prefers_what_init_recorded_from_backend_config(tmp_path: Path) -> None:
    folder = _write(tmp_path / "web", "main.tf", 'terraform {\n  backend "http" {}\n}\n')
    recorded = {"backend": {"type": "http", "config": {"address": "http://b/v1/states/p/s"}}}
    _write(folder / ".terraform", "terraform.tfstate", json.dumps(recorded))
    assert str(stack_identity(folder)) == "p/s"


def test_identity_falls_back_to_fedstack_json_then_the_folder(tmp_path: Path) -> None:
    folder = _write(tmp_path / "local", "main.tf", 'provider "aws" {}\n')
    assert (stack_identity(folder).stack, stack_identity(folder).source) == ("local", "folder")
    named = stack_identity(folder, names=("acme", "db"))
    assert (str(named), named.source) == ("acme/db", "fedstack.json")


@pytest.fixture
def bridge(tmp_path: Path) -> Iterator[ProjectBridge]:
    with project_bridge(f"sqlite:///{tmp_path / 'bridge.sqlite3'}", "acme") as bridge:
        yield bridge


def _plain_folder(folder: Path, bridge_url: str, endpoint: str) -> None:
    address = f"{bridge_url}/v1/states/acme/storage-fr"
    folder.mkdir(parents=True)
    (folder / "main.tf").write_text(
        f"""terraform {{
  required_providers {{
    aws = {{
      source  = "hashicorp/aws"
      version = ">= 5.0, < 6.0"
    }}
  }}
  backend "http" {{
    address        = "{address}"
    lock_address   = "{address}/lock"
    unlock_address = "{address}/lock"
    lock_method    = "LOCK"
    unlock_method  = "UNLOCK"
  }}
}}

provider "aws" {{
  region                      = "eu-west-3"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  s3_use_path_style           = true
  endpoints {{
    s3  = "{endpoint}"
    sts = "{endpoint}"
  }}
}}

resource "aws_s3_bucket" "assets" {{
  bucket        = "identity-assets"
  force_destroy = true
  tags          = {{ team = "platform" }}
}}
"""
    )
    (folder / "fedstack.json").write_text(
        json.dumps({"provider": "sandbox-fr", "region": "fr-par"})
    )


@pytest.mark.slow
def test_drift_of_a_plain_folder_files_its_run_under_the_backend_stack(
    tmp_path: Path, bridge: ProjectBridge, sandbox: dict[str, SandboxServer]
) -> None:
    folder = tmp_path / "storage"  # the folder's name is not the stack's name
    _plain_folder(folder, bridge.url, sandbox["sandbox-fr"].endpoint)
    http = {"TF_HTTP_USERNAME": "ci", "TF_HTTP_PASSWORD": bridge.state_token}
    env = {**os.environ, **SANDBOX_CREDENTIALS, **http}
    env.pop("FEDSTACK_BRIDGE_URL", None)
    tf = Terraform(folder, env={**SANDBOX_CREDENTIALS, **http})
    tf.init()
    tf.apply()
    try:
        drift_env = {**env, "FEDSTACK_BRIDGE_TOKEN": bridge.drift_token}
        done = subprocess.run(
            [FEDSTACK, "drift", ".", "--bridge", bridge.url, "--out", str(tmp_path / "r")],
            cwd=folder,
            env=drift_env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        # The drift token may not write states: the placement is named, with the way to set it.
        assert "placement of acme/storage-fr not recorded" in done.stderr
        placed = subprocess.run(
            [FEDSTACK, "stack", "set-placement", ".", "--bridge", bridge.url],
            cwd=folder,
            env={**env, "FEDSTACK_BRIDGE_TOKEN": bridge.state_token},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert placed.returncode == 0, placed.stderr
        assert "acme/storage-fr: set" in placed.stdout

        auth = {"Authorization": f"Bearer {bridge.state_token}"}
        stacks = httpx.get(f"{bridge.url}/v1/stacks", headers=auth, timeout=10).json()["stacks"]
        assert [(s["project"], s["stack"]) for s in stacks] == [("acme", "storage-fr")]
        assert (stacks[0]["provider"], stacks[0]["region"]) == ("sandbox-fr", "fr-par")
        runs = httpx.get(f"{bridge.url}/v1/drift-runs", headers=auth, timeout=10).json()
        assert [r["project"] for r in runs["items"]] == ["acme"]
        run = httpx.get(
            f"{bridge.url}/v1/drift-runs/{runs['items'][0]['id']}", headers=auth, timeout=10
        ).json()
        assert [(s["project"], s["name"]) for s in run["report"]["stacks"]] == [
            ("acme", "storage-fr")
        ]
        # The dashboard shows one stack, with its state's resources and its last drift run.
        page = httpx.get(f"{bridge.url}/dashboard", headers=auth, timeout=10).text
        table = re.search(r'<table id="stacks">(.*?)</table>', page, re.S)
        assert table is not None
        rows = re.findall(r"<tr><td>(.*?)</tr>", table.group(1), re.S)
        assert len(rows) == 1 and "acme/storage-fr" in rows[0], rows
        assert "never" not in rows[0] and "sandbox-fr" in rows[0]
    finally:
        tf.destroy()


def test_drift_checks_the_bridge_token_before_running_any_plan(
    tmp_path: Path, bridge: ProjectBridge
) -> None:
    folder = _write(tmp_path / "s", "main.tf", 'provider "aws" {}\n')
    env = {**os.environ, "FEDSTACK_BRIDGE_TOKEN": "not-a-token"}
    done = subprocess.run(
        [FEDSTACK, "drift", str(folder), "--bridge", bridge.url],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "refused the token" in done.stderr
    assert not (folder / ".terraform").exists()  # no init, no plan
