"""Synth time of federated stacks through fedstack beside raw CDK code that builds the same stacks.

Each workload has an object store (placed at sandbox-fr) and a network plus an instance
(placed at sandbox-de): two stacks per workload, so 5 and 25 workloads give 10 and 50 stacks.
The raw side builds the same stacks with the same library (TerraformStack, provider, local
backend, TerraformHclModule with the same inputs) but no catalog, policy or placement.
Both run in this process, alternating, several rounds; the table shows medians and the ratio.

    .venv/bin/python benchmarks/cdk_synth.py             # cdktn (the library of .venv)
    .venv-cdktf/bin/python benchmarks/cdk_synth.py       # cdktf 0.21
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

os.environ.setdefault("FEDSTACK_HOME", tempfile.mkdtemp(prefix="fedstack-bench-home-"))

from fedstack.cdk import Compute, FederatedApp, Network, ObjectStore, Workload, library_name
from fedstack.cdk import _lib as cdk

from fedstack.catalog import load_catalog
from fedstack.sandbox import aws_provider_config

ENDPOINTS = {
    "sandbox-fr": "http://127.0.0.1:1",
    "sandbox-de": "http://127.0.0.1:2",
    "sandbox-nl": "http://127.0.0.1:3",
}
ROUNDS = 5


def fedstack_app(workloads: int, outdir: str) -> None:
    app = FederatedApp(project="bench", policy="eu-sovereign", endpoints=ENDPOINTS, outdir=outdir)
    for index in range(workloads):
        workload = Workload(app, f"w{index}", spread=2)
        ObjectStore(workload, "assets", prefer=["sandbox-fr"])
        net = Network(workload, "net", prefer=["sandbox-de"], not_with=["assets"])
        Compute(workload, "vm", network=net, size="s")
    app.synth()


class _Provider(cdk.TerraformProvider):
    pass


def raw_app(workloads: int, outdir: str) -> None:
    catalog = load_catalog()
    home = Path(os.environ["FEDSTACK_HOME"]) / "states" / "raw"
    app = cdk.App(outdir=outdir, stack_traces=False)

    def stack(name: str, endpoint: str, api_region: str):  # type: ignore[no-untyped-def]
        s = cdk.TerraformStack(app, name)
        provider = _Provider(
            s,
            "aws",
            terraform_resource_type="aws",
            terraform_provider_source="hashicorp/aws",
            terraform_generator_metadata=cdk.TerraformProviderGeneratorMetadata(
                provider_name="aws", provider_version_constraint=">= 5.0, < 6.0"
            ),
        )
        for key, value in aws_provider_config(endpoint, api_region).items():
            provider.add_override(key, value)
        cdk.LocalBackend(s, path=str(home / f"{name}.tfstate"))
        return s

    def labels(w: str, s: str, c: str) -> dict[str, str]:
        return {"fedstack:workload": w, "fedstack:stack": s, "fedstack:component": c}

    for index in range(workloads):
        w = f"w{index}"
        fr_name, de_name = f"{w}-sandbox-fr-fr-par", f"{w}-sandbox-de-de-fra"
        fr = stack(fr_name, ENDPOINTS["sandbox-fr"], "eu-west-3")
        cdk.TerraformHclModule(
            fr,
            "assets",
            source=str(catalog.module_path("sandbox-fr", "object_storage")),
            variables={
                "name": f"{w}-assets",
                "location": "fr-par",
                "versioning": False,
                "labels": labels(w, fr_name, "assets"),
                "force_destroy": False,
                "endpoint": ENDPOINTS["sandbox-fr"],
            },
        )
        de = stack(de_name, ENDPOINTS["sandbox-de"], "eu-central-1")
        net = cdk.TerraformHclModule(
            de,
            "net",
            source=str(catalog.module_path("sandbox-de", "network")),
            variables={
                "name": f"{w}-net",
                "cidr": "10.20.0.0/16",
                "location": "de-fra",
                "labels": labels(w, de_name, "net"),
            },
        )
        cdk.TerraformHclModule(
            de,
            "vm",
            source=str(catalog.module_path("sandbox-de", "compute")),
            variables={
                "name": f"{w}-vm",
                "size": "s",
                "image": "debian-12",
                "location": "de-fra",
                "network_id": net.get_string("network_id"),
                "ssh_public_key": "",
                "user_data": "",
                "labels": labels(w, de_name, "vm"),
            },
            depends_on=[net],
        )
    app.synth()


def _time(build: Callable[[int, str], None], workloads: int) -> float:
    with tempfile.TemporaryDirectory(prefix="fedstack-bench-") as outdir:
        started = time.perf_counter()
        build(workloads, outdir)
        elapsed = time.perf_counter() - started
        stacks = len(list(Path(outdir, "stacks").iterdir()))
        assert stacks == 2 * workloads, f"{build.__name__} wrote {stacks} stacks"
        return elapsed


def main() -> None:
    node = subprocess.run(
        ["node", "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    lib = library_name()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"
    )
    print(
        f"python {platform.python_version()}, node {node}, {lib} {version(lib)}, constructs {version('constructs')}"
    )
    print(
        f"inputs: 2 stacks per workload (fr: object store; de: network + instance), {ROUNDS} rounds, median"
    )
    _time(raw_app, 1)  # warm up jsii and the catalog once
    _time(fedstack_app, 1)
    print()
    print(
        f"| stacks | raw {lib} (s) | fedstack (s) | ratio fedstack/raw | fedstack per stack (ms) |"
    )
    print("| ---: | ---: | ---: | ---: | ---: |")
    for stacks in (10, 50):
        workloads = stacks // 2
        raw, ours = [], []
        for _ in range(ROUNDS):
            raw.append(_time(raw_app, workloads))
            ours.append(_time(fedstack_app, workloads))
        r, f = statistics.median(raw), statistics.median(ours)
        print(f"| {stacks} | {r:.2f} | {f:.2f} | {f / r:.2f} | {1000 * f / stacks:.0f} |")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
