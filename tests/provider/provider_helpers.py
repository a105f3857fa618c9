"""Helpers for the provider tests: HCL fragments, outputs, plan errors as Terraform prints them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fedstack.errors import TerraformError
from fedstack.terraform import Terraform

if TYPE_CHECKING:
    from conftest import ProviderBridge

PRODUCER_SECRET = "s3cr3t-output-value-7d1f"

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
