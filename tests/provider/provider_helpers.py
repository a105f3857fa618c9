"""Helpers for the provider tests: HCL fragments, outputs, plan errors as Terraform prints them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bridge_helpers import BridgeProcess, Tokens

from fedstack.errors import TerraformError
from fedstack.terraform import Terraform

Root = Callable[..., Terraform]
"""The `root` fixture: HCL text (and env) in, an initialised Terraform root out."""

PRODUCER_SECRET = "s3cr3t-output-value-7d1f"


@dataclass(frozen=True)
class Installed:
    """The mirror the session's provider went into, and what `fedstack provider install` printed."""

    mirror: Path
    stdout: str


@dataclass(frozen=True)
class ProviderBridge:
    """The session's bridge, a project's tokens, and the producer stack applied to it."""

    process: BridgeProcess
    tokens: Tokens
    producer: str

    @property
    def url(self) -> str:
        """Base URL of the bridge."""
        return self.process.url


REQUIRED = """
terraform {
  required_providers {
    fedstack = { source = "fedstack.local/fedstack/fedstack" }
  }
}
"""


def outputs(runner: Terraform) -> dict[str, object]:
    """Every root output's value."""
    return {name: entry["value"] for name, entry in runner.output().items()}


def bridge_env(bridge: ProviderBridge, token: str) -> dict[str, str]:
    """The provider's settings through the environment, as a CI job would set them."""
    return {"FEDSTACK_BRIDGE_URL": bridge.url, "FEDSTACK_BRIDGE_TOKEN": token}


def plan_error(runner: Terraform) -> str:
    """The human-readable error output of a `terraform plan` that must fail."""
    try:
        runner.run("plan", "-input=false", "-no-color")
    except TerraformError as exc:
        assert "Traceback" not in exc.output, exc.output
        return " ".join(exc.output.split())
    raise AssertionError("terraform plan succeeded; it should have failed")
