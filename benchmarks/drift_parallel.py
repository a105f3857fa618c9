"""Benchmark: `fedstack drift --parallel k` over N tiny sandbox stacks, beside plain Terraform.

For each N, on the same N stacks (one S3 bucket each, on the sandbox-fr moto server):
- a sequential loop of plain `terraform plan -refresh-only -lock=false` (what a shell script does);
- `fedstack drift --parallel k` (plan, show -json, parse, reports), as a subprocess.
The ratio is fedstack's wall time over the loop's, measured in the same run. fedstack's own
overhead is its wall time minus the time at least one Terraform process was running (Terraform
is run through a logging wrapper via FEDSTACK_TERRAFORM to know that).

Only one stack is applied for real; the others get a bucket made with boto3 and a copy of that
state with the names changed, so setup stays short. Usage:

    .venv/bin/python benchmarks/drift_parallel.py [--sizes 1,4,8,16] [--parallel 4]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    args = _arguments()
    sizes = [int(n) for n in args.sizes.split(",")]
    work = Path(tempfile.mkdtemp(prefix="fedstack-bench-drift-"))
    os.environ["FEDSTACK_HOME"] = str(work / "home")
    mirror = (
        os.environ.get("FEDSTACK_PROVIDER_MIRROR")
        or subprocess.run(
            [str(REPO / "scripts" / "find-provider-mirror")],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    if mirror:
        os.environ["FEDSTACK_PROVIDER_MIRROR"] = mirror

    from fedstack.sandbox import SANDBOX_CREDENTIALS, Sandbox
    from fedstack.terraform import find_binary

    os.environ.update(SANDBOX_CREDENTIALS)
    box = Sandbox(work / "home")
    try:
        server = box.up(["sandbox-fr"])["sandbox-fr"]
        stacks = _make_stacks(work / "stacks", server.endpoint, max(sizes))
        real = find_binary()
        wrapper, log = _timing_wrapper(work, real.path)
        rows = [_measure(stacks[:n], real.path, wrapper, log, args.parallel, work) for n in sizes]
        _print_table(rows, real, args.parallel)
    finally:
        box.down()
        shutil.rmtree(work, ignore_errors=True)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,4,8,16", help="comma-separated stack counts N")
    parser.add_argument("--parallel", type=int, default=4, help="fedstack drift --parallel k")
    return parser.parse_args()


def _make_stacks(root: Path, endpoint: str, count: int) -> list[Path]:
    """One stack applied for real, then `count - 1` clones (bucket via boto3, state copied)."""
    import boto3

    from fedstack.sandbox import SANDBOX_CREDENTIALS, aws_provider_config
    from fedstack.terraform import Terraform

    def config(bucket: str) -> dict:
        return {
            "terraform": {
                "required_providers": {
                    "aws": {"source": "hashicorp/aws", "version": ">= 5.0, < 6.0"}
                }
            },
            "provider": {"aws": [aws_provider_config(endpoint, "eu-west-3")]},
            "resource": {"aws_s3_bucket": {"this": {"bucket": bucket, "tags": {"owner": "bench"}}}},
        }

    first = root / "stack-000"
    first.mkdir(parents=True)
    (first / "main.tf.json").write_text(json.dumps(config("bench-000"), indent=2))
    tf = Terraform(first, env=SANDBOX_CREDENTIALS)
    tf.init()
    tf.apply()
    state = (first / "terraform.tfstate").read_text()
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="eu-west-3")
    stacks = [first]
    for index in range(1, count):
        name = f"bench-{index:03d}"
        folder = root / f"stack-{index:03d}"
        folder.mkdir()
        (folder / "main.tf.json").write_text(json.dumps(config(name), indent=2))
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
        s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": [{"Key": "owner", "Value": "bench"}]})
        copy = json.loads(state.replace("bench-000", name))
        copy["lineage"] = str(uuid.uuid4())
        (folder / "terraform.tfstate").write_text(json.dumps(copy))
        shutil.copytree(first / ".terraform", folder / ".terraform", symlinks=True)
        shutil.copy(first / ".terraform.lock.hcl", folder / ".terraform.lock.hcl")
        stacks.append(folder)
    return stacks


def _timing_wrapper(work: Path, real: str) -> tuple[Path, Path]:
    """A `terraform` wrapper that appends "start end command" to a log for every run."""
    log = work / "terraform-times.log"
    wrapper = work / "bin" / "terraform"
    wrapper.parent.mkdir()
    wrapper.write_text(
        "#!/usr/bin/env bash\n"
        "start=$(date +%s.%N)\n"
        f'"{real}" "$@"\n'
        "rc=$?\n"
        f'echo "$start $(date +%s.%N) $1" >> "{log}"\n'
        "exit $rc\n"
    )
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    return wrapper, log


def _measure(
    stacks: list[Path], real: str, wrapper: Path, log: Path, parallel: int, work: Path
) -> dict:
    from fedstack.terraform._cliconfig import runner_environment

    env = runner_environment()
    started = time.monotonic()
    for folder in stacks:
        done = subprocess.run(
            [
                real,
                "plan",
                "-refresh-only",
                "-lock=false",
                "-input=false",
                "-no-color",
                "-detailed-exitcode",
            ],
            cwd=folder,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:  # 2 would mean drift: the stacks must be in sync here
            sys.exit(
                f"plain terraform plan in {folder} exited {done.returncode}: {done.stderr[-500:]}"
            )
    loop = time.monotonic() - started

    log.unlink(missing_ok=True)
    out = work / f"report-{len(stacks)}"
    started = time.monotonic()
    done = subprocess.run(
        [
            str(Path(sys.executable).with_name("fedstack")),
            "drift",
            *map(str, stacks),
            "--parallel",
            str(parallel),
            "--format",
            "json",
            "--out",
            str(out),
        ],
        env={**os.environ, "FEDSTACK_TERRAFORM": str(wrapper)},
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.monotonic() - started
    if done.returncode != 0:
        sys.exit(f"fedstack drift exited {done.returncode}: {done.stderr[-800:]}")
    intervals = [
        (float(a), float(b))
        for a, b, command in (line.split() for line in log.read_text().splitlines())
        if command != "version"
    ]
    busy = _union(intervals)
    return {
        "n": len(stacks),
        "loop": loop,
        "fedstack": wall,
        "terraform_busy": busy,
        "overhead": wall - busy,
    }


def _union(intervals: list[tuple[float, float]]) -> float:
    total, end = 0.0, float("-inf")
    for start, stop in sorted(intervals):
        if stop <= end:
            continue
        total += stop - max(start, end)
        end = stop
    return total


def _print_table(rows: list[dict], binary: object, parallel: int) -> None:
    print(
        f"machine: {platform.node()} ({os.cpu_count()} cores, {platform.machine()}), "
        f"load average {os.getloadavg()[0]:.1f} at the end; {binary}"
    )
    print(
        f"inputs: N stacks of one S3 bucket each on the sandbox-fr moto server; fedstack drift --parallel {parallel}"
    )
    print()
    print(
        "| N | terraform plan loop (s) | fedstack drift (s) | ratio fedstack/loop | terraform busy in fedstack (s) | fedstack overhead (s) |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(
            f"| {r['n']} | {r['loop']:.1f} | {r['fedstack']:.1f} | {r['fedstack'] / r['loop']:.2f} | "
            f"{r['terraform_busy']:.1f} | {r['overhead']:.1f} |"
        )


if __name__ == "__main__":
    main()
