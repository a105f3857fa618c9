"""`fedstack demo`: the main job in one command, on the sandbox cloud.

Until the federated demo lands this runs the smaller end-to-end flow: start the sandbox,
apply the object-storage module at a sandbox provider, show what was made, destroy it.
"""

from __future__ import annotations

import json
import secrets

import click

from fedstack import config
from fedstack.catalog import load_catalog
from fedstack.cli._output import stderr, stdout
from fedstack.sandbox import SANDBOX_CREDENTIALS, Sandbox, aws_provider_config, module_root_config
from fedstack.terraform import Terraform

__all__ = ["demo"]


@click.command()
@click.option("--provider", default="sandbox-fr", show_default=True, help="Sandbox provider to deploy to.")
@click.option("--keep", is_flag=True, help="Leave the bucket and the sandbox running.")
def demo(provider: str, keep: bool) -> None:
    """Deploy object storage to a sandbox provider with real Terraform, then clean up.

    \b
    Example:
      fedstack demo                 # sandbox up, apply, show, destroy, sandbox down
      fedstack demo --keep          # leave it running; `fedstack sandbox down` later
    """
    catalog = load_catalog()
    entry = catalog.provider(provider)
    region_name, region = next(iter(entry.regions.items()))
    box = Sandbox()
    already_running = set(box.endpoints())
    stderr.print(f"[bold]1/4[/] starting the sandbox provider {provider}")
    server = box.up([provider])[provider]
    workdir = config.home() / "demo" / "object-storage"
    workdir.mkdir(parents=True, exist_ok=True)
    bucket = f"fedstack-demo-{secrets.token_hex(4)}"
    root = module_root_config(
        module_name="bucket",
        source=str(catalog.module_path(provider, "object_storage")),
        inputs={
            "name": bucket,
            "location": region_name,
            "endpoint": server.endpoint,
            "labels": {"fedstack:workload": "demo", "fedstack:component": "bucket"},
            "force_destroy": True,
        },
        provider=aws_provider_config(server.endpoint, region.api_region or region_name),
        outputs=["bucket_name", "endpoint", "location", "id"],
    )
    (workdir / "main.tf.json").write_text(json.dumps(root, indent=2))
    tf = Terraform(workdir, env=SANDBOX_CREDENTIALS, on_message=lambda m: stderr.print(f"  [dim]{m}[/]"))
    applied = False
    try:
        stderr.print(f"[bold]2/4[/] terraform init and apply in {workdir} ({tf.binary})")
        tf.init()
        applied = True
        tf.apply()
        outputs = {name: o["value"] for name, o in tf.output().items()}
        stderr.print("[bold]3/4[/] deployed:")
        stdout.print(
            f"bucket {outputs['bucket_name']} at {provider} ({region_name}, {region.country}), "
            f"endpoint {outputs['endpoint']}"
        )
        stdout.print(tf.run("state", "list", quiet=True).strip())
    finally:
        if keep:
            stderr.print("[bold]4/4[/] kept: destroy with `terraform apply -destroy` in " + str(workdir))
        else:
            stderr.print("[bold]4/4[/] destroying and stopping what the demo started")
            try:
                if applied:
                    tf.destroy()
            finally:
                if not already_running:
                    box.down()
