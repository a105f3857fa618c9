"""Helpers of the module tests: apply sandbox modules for real through the project's runner.

`sandbox_root` builds one root configuration (the provider block from fedstack.sandbox, one module
call per capability); `apply_root` applies it, yields its outputs and destroys it afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fedstack.catalog import load_catalog
from fedstack.sandbox import (
    SANDBOX_CREDENTIALS,
    SandboxServer,
    aws_provider_config,
    module_root_config,
)
from fedstack.terraform import Terraform
from sandbox_helpers import sandbox_client

__all__ = ["PROVIDER", "REGION", "Applied", "apply_root", "client_for", "sandbox_root"]

PROVIDER = "sandbox-fr"
REGION = "fr-par"


@dataclass
class Applied:
    """A root configuration applied at a sandbox provider: its runner and its output values."""

    terraform: Terraform
    outputs: dict[str, Any]
    server: SandboxServer
    output_types: dict[str, Any]

    def client(self, service: str) -> Any:
        """A boto3 client on the same moto server, with the sandbox credentials."""
        return client_for(self.server, service)


def client_for(server: SandboxServer, service: str) -> Any:
    """A boto3 client on `server`, in the API region of REGION, with the sandbox credentials."""
    return sandbox_client(
        service, server.endpoint, load_catalog().provider(PROVIDER).region_api_name(REGION)
    )


def sandbox_root(
    server: SandboxServer, calls: Mapping[str, tuple[dict[str, Any], list[str]]]
) -> dict[str, Any]:
    """One root config calling, per capability, its PROVIDER module with (inputs, outputs)."""
    catalog = load_catalog()
    provider = aws_provider_config(
        server.endpoint, catalog.provider(PROVIDER).region_api_name(REGION)
    )
    root: dict[str, Any] = {}
    for capability, (inputs, outputs) in calls.items():
        one = module_root_config(
            module_name=capability,
            source=str(catalog.module_path(PROVIDER, capability)),
            inputs=inputs,
            provider=provider,
            outputs=outputs,
        )
        root = {
            **one,
            "module": {**root.get("module", {}), **one["module"]},
            "output": {**root.get("output", {}), **one["output"]},
        }
    return root


@contextmanager
def apply_root(workdir: Path, root: dict[str, Any], server: SandboxServer) -> Iterator[Applied]:
    """Apply `root` in `workdir`, yield it, destroy it (also when a test failed)."""
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "main.tf.json").write_text(json.dumps(root, indent=2))
    terraform = Terraform(workdir, env=SANDBOX_CREDENTIALS, timeout=300)
    terraform.init()
    try:
        terraform.apply()
        raw = terraform.output()
        values = {name: output["value"] for name, output in raw.items()}
        yield Applied(terraform, values, server, {name: o["type"] for name, o in raw.items()})
    finally:
        terraform.destroy()
