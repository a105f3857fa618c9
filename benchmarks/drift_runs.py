"""Benchmark: how long the bridge takes to store a drift run (with history) and render the dashboard.

Per database (SQLite, and PostgreSQL from initdb/pg_ctl when available) and per run size
(stacks x drifted resources per stack), posts a series of runs in which half of the drifted
resources change from one run to the next (so history opens and resolves periods every time),
then times the overview and the run page. A bridge runs in this process (`running_bridge`).

    .venv/bin/python benchmarks/drift_runs.py            # about a minute
    .venv/bin/python benchmarks/drift_runs.py --quick    # smaller sizes, for a smoke run
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from fedstack.bridge import BridgeSettings, running_bridge
from fedstack.drift.schema import (
    AttributeChange,
    DriftReport,
    ResourceDrift,
    StackResult,
    Summary,
)
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bridge_throughput import postgres  # the same throwaway PostgreSQL

console = Console(width=140)


def _report(stacks: int, per_stack: int, shift: int) -> DriftReport:
    """A run over `stacks` stacks, each with `per_stack` drifted buckets; `shift` moves half of them."""
    now = dt.datetime.now(dt.UTC)
    results = []
    for s in range(stacks):
        drift = [
            ResourceDrift(
                address=f"module.m{(i + shift * (i % 2)) % (per_stack * 4)}.aws_s3_bucket.this",
                type="aws_s3_bucket",
                name="this",
                terraform_provider="registry.terraform.io/hashicorp/aws",
                kind="update",
                provider="sandbox-fr",
                region="fr-par",
                country="FR",
                changes=[AttributeChange(path="tags.owner", before="alice", after="mallory")],
            )
            for i in range(per_stack)
        ]
        results.append(
            StackResult(
                name=f"stack-{s:03d}",
                path=f"stacks/stack-{s:03d}",
                file=f"stacks/stack-{s:03d}/main.tf",
                source="folder",
                status="drift",
                duration_seconds=1.0,
                drift=drift,
            )
        )
    return DriftReport(
        run_id=str(uuid.uuid4()),
        started_at=now,
        finished_at=now,
        fedstack_version="bench",
        exit_code=2,
        summary=Summary(
            stacks=stacks,
            in_sync=0,
            drifted=stacks,
            errored=0,
            resources_drifted=stacks * per_stack,
            resources_ignored=0,
        ),
        stacks=results,
    )


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def _measure(db_url: str, sizes: list[tuple[int, int]], runs: int) -> list[list[str]]:
    rows = []
    settings = BridgeSettings(db_url=db_url, port=0, auth=False)
    with running_bridge(settings) as url, httpx.Client(base_url=url, timeout=120) as client:
        for project_index, (stacks, per_stack) in enumerate(sizes):
            project = f"bench-{project_index}"
            posts: list[float] = []
            last = 0
            for shift in range(runs):
                body = _report(stacks, per_stack, shift).model_dump_json()
                started = time.perf_counter()
                answer = client.post("/v1/drift-runs", params={"project": project}, content=body)
                posts.append(time.perf_counter() - started)
                answer.raise_for_status()
                last = answer.json()["id"]
            timings = {}
            for name, path in (("overview", "/dashboard"), ("run page", f"/dashboard/runs/{last}")):
                started = time.perf_counter()
                client.get(path).raise_for_status()
                timings[name] = time.perf_counter() - started
            rows.append(
                [
                    f"{stacks} x {per_stack}",
                    f"{len(body) / 1024:.0f}",
                    str(runs),
                    _ms(statistics.median(posts)),
                    _ms(max(posts)),
                    _ms(timings["overview"]),
                    _ms(timings["run page"]),
                ]
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    args = parser.parse_args()
    sizes = [(4, 5), (16, 10)] if args.quick else [(4, 10), (16, 25), (64, 25)]
    runs = 4 if args.quick else 8
    console.print(
        f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; {runs} runs per size, half the drift moves each run"
    )
    table = Table(title="POST /v1/drift-runs (history included) and dashboard pages, ms")
    for column in (
        "database",
        "stacks x drifted",
        "run KiB",
        "runs",
        "POST median",
        "POST max",
        "overview",
        "run page",
    ):
        table.add_column(column, justify="left" if column == "database" else "right")
    with tempfile.TemporaryDirectory() as folder:
        for row in _measure(f"sqlite:///{folder}/bench.sqlite3", sizes, runs):
            table.add_row("SQLite", *row)
    if shutil.which("initdb") and shutil.which("pg_ctl"):
        with postgres() as url:
            for row in _measure(url, sizes, runs):
                table.add_row("PostgreSQL", *row)
    else:
        console.print("PostgreSQL skipped: initdb/pg_ctl not on PATH")
    console.print(table)


if __name__ == "__main__":
    main()
