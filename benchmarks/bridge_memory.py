"""Benchmark: peak memory of one bridge process storing one large state (SQLite).

Starts a real `fedstack bridge serve` (no auth, loopback), posts one warm-up state, then one
state of each size built from many resources (the shape that costs memory: every resource is
parsed, masked and indexed), and reads the process's peak resident set (`VmHWM` in
/proc/<pid>/status) before and after. Prints the machine, the inputs and a table.

    .venv/bin/python benchmarks/bridge_memory.py              # 10 MiB and 60 MiB
    .venv/bin/python benchmarks/bridge_memory.py --sizes 20
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _peak_rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc status")


def _state(size: int, tags: int = 30) -> bytes:
    """A v4 state of about `size` bytes: resources with `tags` tags of ~60 bytes each."""
    resource_count = max(1, size // (300 + 70 * tags))
    resources = [
        {
            "mode": "managed",
            "type": "aws_s3_bucket",
            "name": f"b{n}",
            "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
            "instances": [
                {
                    "schema_version": 0,
                    "attributes": {
                        "id": f"bucket-{n}",
                        "region": "eu-west-3",
                        "tags": {f"k{t}": f"value-{n}-{t}-{'x' * 40}" for t in range(tags)},
                    },
                    "sensitive_attributes": [],
                }
            ],
        }
        for n in range(resource_count)
    ]
    document = {
        "version": 4,
        "terraform_version": "1.11.4",
        "serial": 1,
        "lineage": str(uuid.uuid4()),
        "outputs": {},
        "resources": resources,
    }
    return json.dumps(document).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 60], help="MiB")
    parser.add_argument(
        "--tags", type=int, default=2, help="tags per resource (fewer: more resources)"
    )
    args = parser.parse_args()
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(f"input: states of {args.sizes} MiB, resources with {args.tags} tags each, SQLite")
    rows = []
    for mib in args.sizes:
        body = _state(mib * 1024 * 1024, args.tags)
        folder = Path(tempfile.mkdtemp(prefix="fedstack-mem-"))
        port = _free_port()
        command = [
            sys.executable,
            "-c",
            "from fedstack.cli import main; main()",
            "bridge",
            "serve",
            "--no-auth",
            "--db",
            f"sqlite:///{folder / 'bridge.sqlite3'}",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--max-state-size",
            str(len(body) + 1024),
        ]
        proc = subprocess.Popen(command)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(base + "/readyz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit("the bridge did not start")
                time.sleep(0.1)
            headers = {"Content-Type": "application/json"}
            httpx.post(f"{base}/v1/states/bench/warm", content=_state(100_000), headers=headers)
            before = _peak_rss(proc.pid)
            started = time.perf_counter()
            answer = httpx.post(
                f"{base}/v1/states/bench/big", content=body, headers=headers, timeout=600
            )
            elapsed = time.perf_counter() - started
            answer.raise_for_status()
            after = _peak_rss(proc.pid)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        delta = after - before
        rows.append((len(body), before, after, delta, elapsed))
    print(
        f"{'body':>10} {'peak before':>12} {'peak after':>12} {'added':>10} {'x body':>7} {'POST s':>7}"
    )
    for size, before, after, delta, elapsed in rows:
        print(
            f"{size / 2**20:8.1f} MiB {before / 2**20:9.0f} MiB {after / 2**20:9.0f} MiB "
            f"{delta / 2**20:7.0f} MiB {delta / size:7.1f} {elapsed:7.2f}"
        )


if __name__ == "__main__":
    main()
