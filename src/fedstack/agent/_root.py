"""Synthesize the one-component Terraform root of a Fulcrum service (plain Terraform JSON).

The root calls the capability's module for the agent's provider, configures that provider, and
keeps its state in the bridge at `/v1/states/<consumer>/<service>` (the token reaches Terraform
as TF_HTTP_PASSWORD, never through the file). No cdktf: the agent writes the JSON itself.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fedstack.catalog import INTERFACES, Catalog, read_module
from fedstack.sandbox import aws_provider_config, module_root_config

__all__ = ["COMPONENT", "Component", "write_root"]

COMPONENT = "component"
"""The module block's name in every agent root: addresses read `module.component.<resource>`."""


@dataclass(frozen=True)
class Component:
    """One service as the agent deploys it: capability, placement and module inputs."""

    capability: str
    provider: str
    region: str
    inputs: dict[str, Any]


def write_root(
    folder: Path,
    component: Component,
    *,
    catalog: Catalog,
    bridge_url: str,
    project: str,
    stack: str,
    sandbox_endpoint: str | None,
    secret_inputs: dict[str, str] | None = None,
) -> Path:
    """Write `main.tf.json` and `fedstack.json` into `folder`; returns the main file.

    `secret_inputs` (input name -> Terraform type) are inputs whose values came from Fulcrum's
    vault: the file only refers to a sensitive root variable, set through TF_VAR_<name>.
    """
    folder.mkdir(parents=True, exist_ok=True)
    secrets = secret_inputs or {}
    inputs = {
        name: f"${{var.{name}}}" if name in secrets else value
        for name, value in component.inputs.items()
    }
    module_path = catalog.module_path(component.provider, component.capability)
    spec = read_module(module_path)
    outputs = [o.name for o in INTERFACES[component.capability].outputs if o.name in spec.outputs]
    entry = catalog.provider(component.provider)
    if entry.kind == "sandbox":
        if sandbox_endpoint is None:
            raise ValueError("a sandbox provider needs its sandbox endpoint")
        provider = aws_provider_config(sandbox_endpoint, entry.region_api_name(component.region))
        root = module_root_config(
            module_name=COMPONENT,
            source=str(module_path),
            inputs=inputs,
            provider=provider,
            outputs=outputs,
        )
    else:
        # Cloud providers read their credentials and endpoints from the agent's environment.
        root = {
            "terraform": {
                "required_providers": {
                    name: {"source": req.source, "version": req.version}
                    for name, req in spec.providers.items()
                }
            },
            "module": {COMPONENT: {"source": str(module_path), **inputs}},
            "output": {n: {"value": f"${{module.{COMPONENT}.{n}}}"} for n in outputs},
        }
    if secrets:
        root["variable"] = {
            name: {"type": type_, "sensitive": True} for name, type_ in secrets.items()
        }
    for name in outputs:
        if spec.outputs[name].sensitive:
            root["output"][name]["sensitive"] = True
    state = f"{bridge_url.rstrip('/')}/v1/states/{project}/{stack}"
    root["terraform"]["backend"] = {
        "http": {
            "address": state,
            "lock_address": f"{state}/lock",
            "unlock_address": f"{state}/lock",
            "lock_method": "POST",
            "unlock_method": "DELETE",
            "username": "fedstack-agent",
        }
    }
    main = folder / "main.tf.json"
    main.write_text(json.dumps(root, indent=2, sort_keys=True) + "\n")
    meta = {"provider": component.provider, "region": component.region, "stack": stack}
    (folder / "fedstack.json").write_text(json.dumps(meta, indent=2) + "\n")
    return main
