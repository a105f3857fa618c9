"""Provider fixtures, shared per session: one provider installed by `fedstack provider install`
into a temporary mirror, one bridge on loopback (tests/bridge's helpers), one producer stack.

Every test drives the real `terraform` binary; the provider process is the installed launcher.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bridge_helpers import BridgeProcess, make_tokens, unique
from cli_helpers import run_fedstack

from fedstack.terraform import Terraform
from provider_helpers import (
    PRODUCER_SECRET,
    REQUIRED,
    Installed,
    ProviderBridge,
    Root,
)


@pytest.fixture(scope="session")
def installed_provider(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """`FEDSTACK_PROVIDER_MIRROR=<tmp> fedstack provider install`, once per session."""
    mirror = tmp_path_factory.mktemp("provider-mirror")
    done = run_fedstack(
        "provider", "install", env={**os.environ, "FEDSTACK_PROVIDER_MIRROR": str(mirror)}
    )
    assert done.returncode == 0, done.stderr
    return Installed(mirror, done.stdout)


@pytest.fixture(autouse=True)
def _runner_uses_the_provider_mirror(
    installed_provider: Installed, monkeypatch: pytest.MonkeyPatch
) -> None:
    # fedstack's runner writes its CLI config for FEDSTACK_PROVIDER_MIRROR: the temporary mirror.
    monkeypatch.setenv("FEDSTACK_PROVIDER_MIRROR", str(installed_provider.mirror))
    for name in ("FEDSTACK_BRIDGE_URL", "FEDSTACK_BRIDGE_TOKEN", "TF_HTTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)


_PRODUCER = """
terraform {
  backend "http" {
    address        = "%(url)s"
    lock_address   = "%(url)s/lock"
    unlock_address = "%(url)s/lock"
    lock_method    = "LOCK"
    unlock_method  = "UNLOCK"
  }
}

resource "terraform_data" "store" {
  input = { bucket = "invoices-eu", password = sensitive("%(secret)s") }
}

output "bucket" {
  value = terraform_data.store.output.bucket
}

output "replicas" {
  value = 3
}

output "password" {
  value     = terraform_data.store.output.password
  sensitive = true
}
"""


@pytest.fixture(scope="session")
def provider_bridge(
    tmp_path_factory: pytest.TempPathFactory, installed_provider: Installed
) -> Iterator[ProviderBridge]:
    """A bridge on SQLite with a producer stack (`<project>/storage`) applied through it."""
    folder = tmp_path_factory.mktemp("provider-bridge")
    db_url = f"sqlite:///{folder / 'bridge.sqlite3'}"
    process = BridgeProcess(db_url, folder / "bridge.log").start()
    try:
        tokens = make_tokens(db_url, unique("hcl"))
        producer = folder / "storage"
        producer.mkdir()
        url = f"{process.url}/v1/states/{tokens.project}/storage"
        (producer / "main.tf").write_text(_PRODUCER % {"url": url, "secret": PRODUCER_SECRET})
        runner = Terraform(
            producer, env={"TF_HTTP_USERNAME": "x", "TF_HTTP_PASSWORD": tokens.write}
        )
        runner.init()
        runner.apply()
        yield ProviderBridge(process, tokens, "storage")
    finally:
        process.stop()


@pytest.fixture
def root(tmp_path: Path) -> Root:
    """Make an initialised Terraform root from HCL text (the fedstack provider is required)."""
    counter = iter(range(100))

    def make(hcl: str, *, env: dict[str, str] | None = None, init: bool = True) -> Terraform:
        workdir = tmp_path / f"root{next(counter)}"
        workdir.mkdir()
        (workdir / "main.tf").write_text(REQUIRED + hcl)
        runner = Terraform(workdir, env=env or {})
        if init:
            runner.init()
        return runner

    return make
