"""The `provider` blocks of a stack: configured in the root, credentials left to the environment.

A stack configures every provider its modules require (read from each module's versions.tf):
an OVH stack may need ovh and openstack, an Exoscale object store hashicorp/aws.

Sandbox providers get the hashicorp/aws block aimed at their moto server (endpoint from the
sandbox state file); other providers get region-only blocks, their credentials coming from
the provider's documented environment variables (never from cdk.tf.json).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from fedstack.catalog import Catalog
from fedstack.catalog import read_module
from fedstack.errors import SandboxError
from fedstack.sandbox import aws_provider_config

__all__ = ["ProviderBlock", "module_providers", "provider_block"]


@dataclass(frozen=True)
class ProviderBlock:
    """What a stack needs to configure one Terraform provider."""

    local_name: str
    source: str
    version: str | None
    config: dict[str, Any]


@cache
def module_providers(module_dir: Path) -> tuple[tuple[str, str, str], ...]:
    """(local name, source, version) of every provider a module requires, from its versions.tf."""
    spec = read_module(module_dir)
    return tuple((r.name, r.source, r.version) for r in spec.providers.values())


def provider_block(
    catalog: Catalog,
    provider: str,
    region: str,
    endpoints: dict[str, str],
    *,
    local_name: str,
    source: str,
    version: str | None,
) -> ProviderBlock:
    """The configuration of the provider `source` in a stack at catalog `provider`/`region`."""
    entry = catalog.provider(provider)
    api_region = entry.region_api_name(region)
    if entry.kind == "sandbox" and source == "hashicorp/aws":
        endpoint = endpoints.get(provider)
        if endpoint is None:
            raise SandboxError(
                f"sandbox provider {provider} is not running, so its endpoint is unknown: "
                "start it with `fedstack sandbox up` before synth"
            )
        config = aws_provider_config(endpoint, api_region)
    elif source == "hashicorp/aws":
        # An S3-compatible store reached through hashicorp/aws (Exoscale SOS, Hetzner, ...).
        config = {
            "region": api_region,
            "skip_credentials_validation": True,
            "skip_requesting_account_id": True,
            "skip_metadata_api_check": True,
            "skip_region_validation": True,
            "endpoints": [{"s3": entry.s3_endpoint_for(region)}],
        }
    else:
        # Native providers take the location per resource (the modules' `location` input);
        # their provider blocks carry only what the environment does not (nothing here).
        config = {}
    return ProviderBlock(local_name, source, version, config)
