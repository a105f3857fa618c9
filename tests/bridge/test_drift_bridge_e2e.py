"""End to end: real `fedstack drift --bridge` over a sandbox stack, stored and shown by a real bridge.

Terraform applies two buckets on the sandbox-fr moto server; boto3 changes their tags out of
band (one of them a sensitive value); the console script finds the drift (exit 2) and posts the
run to a bridge on loopback (SQLite, auth on); putting the tags back and running again exits 0
and the bridge shows both resources resolved. Nothing is mocked.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from bridge_helpers import bearer
from cli_helpers import FEDSTACK
from fedstack.bridge import BridgeSettings, running_bridge
from fedstack.bridge.store import create_token, open_engine

from fedstack.catalog import load_catalog
from fedstack.drift.schema import MASK
from fedstack.sandbox import SANDBOX_CREDENTIALS, SandboxServer, aws_provider_config
from fedstack.terraform import Terraform
from sandbox_helpers import sandbox_client

pytestmark = pytest.mark.slow

DATA = "module.data.aws_s3_bucket.this"
VAULT = "module.vault.aws_s3_bucket.this"


@dataclass
class Setup:
    """The applied stack, the bridge and the tokens the test uses."""

    root: Path
    env: dict[str, str]
    s3: Any
    buckets: dict[str, str]
    secret: str
    bridge: str
    project: str
    writer: str
    reader: str

    def tag(self, owner: str, token: str) -> None:
        """Set both buckets' tags as a person with console access would."""
        for bucket, tags in (
            (self.buckets["data"], {"owner": owner}),
            (self.buckets["vault"], {"token": token}),
        ):
            self.s3.put_bucket_tagging(
                Bucket=bucket, Tagging={"TagSet": [{"Key": k, "Value": v} for k, v in tags.items()]}
            )

    def drift(self) -> subprocess.CompletedProcess[str]:
        """`fedstack drift web --bridge URL` as CI would run it."""
        env = {**os.environ, **self.env, "FEDSTACK_BRIDGE_TOKEN": self.writer}
        env.pop("FEDSTACK_BRIDGE_URL", None)
        return subprocess.run(
            [FEDSTACK, "drift", "web", "--bridge", self.bridge, "--format", "json", "--out", "out"],
            cwd=self.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,  # the exit code is what the test checks
        )

    def get(self, path: str, **params: str) -> httpx.Response:
        return httpx.get(
            f"{self.bridge}{path}", headers=bearer(self.reader), params=params, timeout=30
        )


def _write_stack(folder: Path, server: SandboxServer, buckets: dict[str, str]) -> None:
    module = str(load_catalog().module_path("sandbox-fr", "object_storage"))
    config = {
        "terraform": {
            "required_providers": {"aws": {"source": "hashicorp/aws", "version": ">= 5.0, < 6.0"}}
        },
        "provider": {"aws": [aws_provider_config(server.endpoint, "eu-west-3")]},
        "variable": {"token": {"type": "string", "sensitive": True}},
        "module": {
            "data": {
                "source": module,
                "name": buckets["data"],
                "location": "fr-par",
                "labels": {"owner": "alice"},
                "force_destroy": True,
            },
            "vault": {
                "source": module,
                "name": buckets["vault"],
                "location": "fr-par",
                "labels": {"token": "${var.token}"},
                "force_destroy": True,
            },
        },
    }
    folder.mkdir(parents=True)
    (folder / "main.tf.json").write_text(json.dumps(config, indent=2))
    (folder / "fedstack.json").write_text(
        json.dumps({"provider": "sandbox-fr", "region": "fr-par"})
    )


@pytest.fixture(scope="module")
def setup(
    sandbox: dict[str, SandboxServer],
    new_database: Callable[[str], str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Setup]:
    """Apply the stack once and serve a bridge with auth on for this module."""
    root = tmp_path_factory.mktemp("drift-e2e")
    suffix = secrets.token_hex(3)
    buckets = {"data": f"e2e-data-{suffix}", "vault": f"e2e-vault-{suffix}"}
    secret = f"vault-{secrets.token_hex(8)}"
    env = {**SANDBOX_CREDENTIALS, "TF_VAR_token": secret}
    server = sandbox["sandbox-fr"]
    _write_stack(root / "web", server, buckets)
    tf = Terraform(root / "web", env=env)
    tf.init()
    tf.apply()
    db_url = new_database("sqlite")
    engine = open_engine(db_url)
    project = f"e2e-{suffix}"
    with running_bridge(BridgeSettings(db_url=db_url, port=0)) as url:
        writer = create_token(engine, project, "drift:write").secret
        reader = create_token(engine, project, "state:read").secret
        engine.dispose()
        s3 = sandbox_client("s3", server.endpoint, "eu-west-3")
        yield Setup(root, env, s3, buckets, secret, url, project, writer, reader)


def test_drift_found_by_the_cli_is_stored_then_shown_resolved_after_the_undo(setup: Setup) -> None:
    new_secret = f"{setup.secret}-changed"
    setup.tag(owner="mallory", token=new_secret)
    first = setup.drift()
    assert first.returncode == 2, first.stderr
    assert f"{setup.bridge}/dashboard/runs/" in first.stderr  # the run page URL is printed
    drifting = setup.get("/v1/drift/resources", state="drifting").json()["items"]
    assert sorted((p["stack"], p["address"]) for p in drifting) == [("web", DATA), ("web", VAULT)]
    (run,) = setup.get("/v1/drift-runs").json()["items"]
    page = setup.get(f"/dashboard/runs/{run['id']}").text
    assert "tags.owner" in page and "mallory" in page and "tags.token" in page
    assert MASK in page
    answers = {
        "run page": page,
        "run": setup.get(f"/v1/drift-runs/{run['id']}").text,
        "history": setup.get("/v1/drift/resources").text,
        "overview": setup.get("/dashboard").text,
        "stack page": setup.get(f"/dashboard/stacks/{setup.project}/web").text,
        "cli output": first.stdout + first.stderr,
    }
    for name, text in answers.items():
        assert setup.secret not in text and new_secret not in text, f"the secret leaked into {name}"

    setup.tag(owner="alice", token=setup.secret)
    second = setup.drift()
    assert second.returncode == 0, second.stderr
    assert setup.get("/v1/drift/resources", state="drifting").json()["total"] == 0
    resolved = setup.get("/v1/drift/resources", state="resolved").json()["items"]
    assert sorted(p["address"] for p in resolved) == [DATA, VAULT]
    latest = setup.get("/v1/drift-runs").json()["items"][0]
    assert all(p["resolved_run"] == latest["id"] and p["resolved_at"] for p in resolved)
    assert latest["status"] == "in_sync"
