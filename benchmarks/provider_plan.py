"""Benchmark: what the fedstack Terraform provider adds to a plan, and how fast it starts.

Installs the provider into a temporary mirror, then times `terraform plan` of one root with a
`terraform_data` resource alone and of the same root with three fedstack data sources
(fedstack_placement, fedstack_policy_check, fedstack_catalog_provider), alternating runs. The
provider's start-up time is from spawning the installed launcher to its go-plugin handshake
line on stdout, next to a bare `python -c pass`.

    .venv/bin/python benchmarks/provider_plan.py             # 5 plans per root, 10 starts
    .venv/bin/python benchmarks/provider_plan.py --runs 2    # a smoke run
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from fedstack.provider import SOURCE, install
from fedstack.terraform import Terraform, find_binary

console = Console(width=140)

_BASE = (
    """
terraform {
  required_providers {
    fedstack = { source = "%s" }
  }
}
resource "terraform_data" "app" {
  input = "hello"
}
"""
    % SOURCE
)

_NO_FEDSTACK = """
resource "terraform_data" "app" {
  input = "hello"
}
"""

_READS = """
data "fedstack_placement" "store" {
  capability = "object_storage"
}
data "fedstack_policy_check" "store" {
  policy        = "eu-data-residency"
  provider_name = data.fedstack_placement.store.provider
  region        = data.fedstack_placement.store.region
}
data "fedstack_catalog_provider" "store" {
  name = data.fedstack_placement.store.provider
}
"""


def _root(folder: Path, text: str) -> Terraform:
    folder.mkdir()
    (folder / "main.tf").write_text(text)
    runner = Terraform(folder)
    runner.init()
    return runner


def _plan_seconds(runner: Terraform) -> float:
    start = time.perf_counter()
    runner.plan()
    return time.perf_counter() - start


def _startup_seconds(command: list[str]) -> float:
    env = {
        **os.environ,
        # go-plugin's handshake variables, as Terraform sets them.
        "TF_PLUGIN_MAGIC_COOKIE": "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
        "PLUGIN_PROTOCOL_VERSIONS": "6",
    }
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - start
    proc.kill()
    proc.wait(timeout=10)
    if b"|grpc|" not in line and command[-1] != "pass":
        raise SystemExit(f"the provider printed no handshake: {line!r}")
    return elapsed


def _row(table: Table, what: str, values: list[float]) -> None:
    table.add_row(
        what,
        str(len(values)),
        f"{statistics.median(values) * 1000:.0f}",
        f"{min(values) * 1000:.0f}",
        f"{max(values) * 1000:.0f}",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="plans per root (default 5)")
    parser.add_argument("--starts", type=int, default=10, help="provider starts (default 10)")
    args = parser.parse_args()
    binary = find_binary()
    console.print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{binary.flavour} {binary.version_string}; {args.runs} plans per root, {args.starts} starts; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    with tempfile.TemporaryDirectory(prefix="fedstack-provider-bench-") as tmp:
        work = Path(tmp)
        os.environ["FEDSTACK_HOME"] = str(work / "home")
        os.environ["FEDSTACK_PROVIDER_MIRROR"] = str(work / "mirror")
        installed = install(work / "mirror")
        bare = _root(work / "bare", _NO_FEDSTACK)
        without = _root(work / "without", _BASE)
        with_reads = _root(work / "with", _BASE + _READS)
        none: list[float] = []
        plain: list[float] = []
        reads: list[float] = []
        _plan_seconds(with_reads)  # warm the page cache once
        for _ in range(args.runs):
            none.append(_plan_seconds(bare))
            plain.append(_plan_seconds(without))
            reads.append(_plan_seconds(with_reads))
        starts = [_startup_seconds([str(installed.executable)]) for _ in range(args.starts)]
        floor = [_startup_seconds([sys.executable, "-c", "pass"]) for _ in range(args.starts)]

    table = Table("measurement", "n", "median ms", "min ms", "max ms", title="fedstack provider")
    _row(table, "plan: terraform_data, no fedstack provider", none)
    _row(table, "plan: terraform_data, fedstack required but unused", plain)
    _row(table, "plan: + 3 fedstack data sources", reads)
    _row(table, "provider start-up (spawn -> handshake)", starts)
    _row(table, "python -c pass (floor)", floor)
    console.print(table)
    added = statistics.median(reads) - statistics.median(plain)
    total = statistics.median(reads) - statistics.median(none)
    console.print(
        f"added by three data sources over the same root without them: {added * 1000:.0f} ms"
    )
    console.print(f"added over a root without the fedstack provider at all: {total * 1000:.0f} ms")


if __name__ == "__main__":
    main()
