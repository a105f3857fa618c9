"""How Terraform reaches a sandbox provider: hashicorp/aws with custom endpoints on its moto server."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fedstack.catalog import Catalog

__all__ = ["SANDBOX_CREDENTIALS", "aws_provider_config", "credentials_for", "module_root_config"]

SANDBOX_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "sandbox",
    "AWS_SECRET_ACCESS_KEY": "sandbox",
}
"""Environment a Terraform run needs for the sandbox: moto accepts any key, but one must be set.
Credentials go through the environment, never into configuration files."""

_SERVICES = ("s3", "ec2", "route53", "sts", "iam")


def credentials_for(catalog: Catalog, provider: str | None) -> dict[str, str]:
    """Environment a Terraform run at `provider` needs from fedstack: the sandbox's dummy keys.

    Real providers read the user's own environment, so nothing is added for them.
    """
    entry = catalog.providers.get(provider or "")
    if entry is not None and entry.kind == "sandbox":
        return dict(SANDBOX_CREDENTIALS)
    return {}


def aws_provider_config(endpoint: str, api_region: str, alias: str | None = None) -> dict[str, Any]:
    """A `provider "aws"` block (as Terraform JSON) aimed at one sandbox moto server."""
    block: dict[str, Any] = {
        "region": api_region,
        # moto is not AWS: no credential check, no account lookup, no instance metadata.
        "skip_credentials_validation": True,
        "skip_requesting_account_id": True,
        "skip_metadata_api_check": True,
        "skip_region_validation": True,
        "s3_use_path_style": True,
        "endpoints": [{service: endpoint for service in _SERVICES}],
    }
    if alias:
        block["alias"] = alias
    return block


def module_root_config(
    *,
    module_name: str,
    source: str,
    inputs: dict[str, Any],
    provider: dict[str, Any],
    outputs: list[str],
) -> dict[str, Any]:
    """A root configuration (Terraform JSON) that configures the provider and calls one module."""
    return {
        "terraform": {
            "required_providers": {"aws": {"source": "hashicorp/aws", "version": ">= 5.0, < 6.0"}}
        },
        "provider": {"aws": [provider]},
        "module": {module_name: {"source": source, **inputs}},
        "output": {name: {"value": f"${{module.{module_name}.{name}}}"} for name in outputs},
    }
