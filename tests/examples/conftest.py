"""Fixtures of the examples' tests: a real bridge, and examples/plain-terraform applied at sandbox-fr.

The example folder is copied with a `modules` link beside it, so its relative module source
(`../../modules/...`) resolves as in a checkout, and `.terraform` never lands in the repository.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bridge_helpers import ProjectBridge, project_bridge
from fedstack.sandbox import SANDBOX_CREDENTIALS, SandboxServer
from fedstack.terraform import Terraform
from sandbox_helpers import sandbox_client

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"


@dataclass(frozen=True)
class PlainStack:
    """examples/plain-terraform applied: the fake checkout it lives in and the env it needs."""

    checkout: Path
    workdir: Path
    endpoint: str
    env: dict[str, str]


@pytest.fixture(scope="session")
def bridge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProjectBridge]:
    """A real bridge (SQLite, free port) with a state:write and a drift:write token of `plain`."""
    db_url = f"sqlite:///{tmp_path_factory.mktemp('examples-bridge') / 'bridge.sqlite3'}"
    with project_bridge(db_url, "plain") as bridge:
        yield bridge


@pytest.fixture(scope="session")
def plain_stack(
    tmp_path_factory: pytest.TempPathFactory,
    sandbox: dict[str, SandboxServer],
    bridge: ProjectBridge,
) -> Iterator[PlainStack]:
    """Apply examples/plain-terraform at sandbox-fr with its state in the bridge; destroy after."""
    checkout = tmp_path_factory.mktemp("checkout")
    (checkout / "modules").symlink_to(REPO / "modules")
    workdir = checkout / "examples" / "plain-terraform"
    shutil.copytree(EXAMPLES / "plain-terraform", workdir)
    address = f"{bridge.url}/v1/states/plain/assets"
    endpoint = sandbox["sandbox-fr"].endpoint
    env = {
        **SANDBOX_CREDENTIALS,
        "TF_HTTP_ADDRESS": address,
        "TF_HTTP_LOCK_ADDRESS": f"{address}/lock",
        "TF_HTTP_UNLOCK_ADDRESS": f"{address}/lock",
        "TF_HTTP_USERNAME": "examples",
        "TF_HTTP_PASSWORD": bridge.state_token,
        "TF_VAR_endpoint": endpoint,
        "TF_VAR_bucket_name": "plain-terraform-assets",
    }
    tf = Terraform(workdir, env=env)
    tf.init()
    tf.apply()
    try:
        yield PlainStack(checkout, workdir, endpoint, env)
    finally:
        tf.destroy()


@pytest.fixture(scope="session")
def retagged(plain_stack: PlainStack) -> str:
    """Retag the example's bucket behind Terraform's back (as in a console); returns the bucket."""
    s3 = sandbox_client("s3", plain_stack.endpoint, "eu-west-3")
    bucket = "plain-terraform-assets"
    tags = {t["Key"]: t["Value"] for t in s3.get_bucket_tagging(Bucket=bucket)["TagSet"]}
    assert tags["team"] == "platform"
    tags["team"] = "marketing"
    s3.put_bucket_tagging(
        Bucket=bucket, Tagging={"TagSet": [{"Key": k, "Value": v} for k, v in tags.items()]}
    )
    return bucket
