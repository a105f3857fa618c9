"""Benchmark: merged refresh against `--no-merge` and a plain Terraform loop, on the sandbox.

Cases (stacks of one S3 bucket each, on the sandbox-fr moto server):
- N = 1, 8, 50 stacks sharing one provider configuration;
- 8 stacks on 8 distinct provider configurations (each its own `max_retries`).
Columns, measured in the same run on the same stacks:
- a sequential loop of plain `terraform plan -refresh-only -lock=false` (what a shell script does);
- `fedstack drift --no-merge --parallel 2` (each stack alone, two at a time);
- `fedstack drift --parallel 2` (merged where safe: the default);
- peak memory of the merged run: the largest sum of resident memory over fedstack and every
  process under it (Terraform, provider plugins), sampled every 0.2 s.

Only one stack is applied for real; the others get a bucket made with boto3 and a copy of that
state with the names changed, so setup stays short. Usage:

    .venv/bin/python benchmarks/drift_parallel.py [--cases 1,8,50,8d] [--parallel 2]

A case is N (shared configuration) or Nd (N distinct configurations).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    args = _arguments()
    cases = [(int(c.rstrip("d")), c.endswith("d")) for c in args.cases.split(",")]
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
        real = find_binary()
        rows = []
        for number, (count, distinct) in enumerate(cases):
            root = work / f"case-{number}"
            stacks = _make_stacks(root, server.endpoint, count, distinct)
            rows.append(_measure(stacks, real.path, args.parallel, root, distinct))
            _print_row(rows[-1])  # as it comes: a long run still shows what it measured
        print()
        _print_table(rows, real, args.parallel)
        if args.group_sizes:
            count = next(n for n, distinct in cases if not distinct and n > 1)
            stacks = _make_stacks(work / "groups", server.endpoint, count, False)
            _print_groups(stacks, [int(g) for g in args.group_sizes.split(",")], args.parallel)
    finally:
        box.down()
        shutil.rmtree(work, ignore_errors=True)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cases", default="1,8,50,8d", help="N (shared) or Nd (distinct), comma-separated"
    )
    parser.add_argument("--parallel", type=int, default=2, help="fedstack drift --parallel k")
    parser.add_argument(
        "--group-sizes",
        default="",
        help="also time the merged check of the first shared case with merged groups of these "
        "sizes run in parallel (Python API), e.g. 8,4,2",
    )
    return parser.parse_args()


def _make_stacks(root: Path, endpoint: str, count: int, distinct: bool) -> list[Path]:
    """One stack applied for real, then `count - 1` clones (bucket via boto3, state copied)."""
    import boto3

    from fedstack.sandbox import SANDBOX_CREDENTIALS, aws_provider_config
    from fedstack.terraform import Terraform

    prefix = f"b{uuid.uuid4().hex[:6]}"

    def config(bucket: str, index: int) -> dict:
        provider = aws_provider_config(endpoint, "eu-west-3")
        if distinct:
            provider["max_retries"] = index + 1
        return {
            "terraform": {
                "required_providers": {
                    "aws": {"source": "hashicorp/aws", "version": ">= 5.0, < 6.0"}
                }
            },
            "provider": {"aws": [provider]},
            "resource": {"aws_s3_bucket": {"this": {"bucket": bucket, "tags": {"owner": "bench"}}}},
        }

    first_name = f"{prefix}-000"
    first = root / "stack-000"
    first.mkdir(parents=True)
    (first / "main.tf.json").write_text(json.dumps(config(first_name, 0), indent=2))
    tf = Terraform(first, env=SANDBOX_CREDENTIALS)
    tf.init()
    tf.apply()
    state = (first / "terraform.tfstate").read_text()
    s3 = boto3.client("s3", endpoint_url=endpoint, region_name="eu-west-3")
    stacks = [first]
    for index in range(1, count):
        name = f"{prefix}-{index:03d}"
        folder = root / f"stack-{index:03d}"
        folder.mkdir()
        (folder / "main.tf.json").write_text(json.dumps(config(name, index), indent=2))
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
        s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": [{"Key": "owner", "Value": "bench"}]})
        copy = json.loads(state.replace(first_name, name))
        copy["lineage"] = str(uuid.uuid4())
        (folder / "terraform.tfstate").write_text(json.dumps(copy))
        shutil.copytree(first / ".terraform", folder / ".terraform", symlinks=True)
        shutil.copy(first / ".terraform.lock.hcl", folder / ".terraform.lock.hcl")
        stacks.append(folder)
    return stacks


def _measure(stacks: list[Path], real: str, parallel: int, work: Path, distinct: bool) -> dict:
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
    alone, _ = _fedstack(stacks, parallel, work / "alone", ["--no-merge"], merged=False)
    merged, peak = _fedstack(stacks, parallel, work / "merged", [], merged=True)
    return {
        "n": len(stacks),
        "distinct": distinct,
        "loop": loop,
        "alone": alone,
        "merged": merged,
        "peak_mib": peak / 1024 / 1024,
    }


def _fedstack(
    stacks: list[Path], parallel: int, out: Path, extra: list[str], *, merged: bool
) -> tuple[float, int]:
    command = [
        str(Path(sys.executable).with_name("fedstack")),
        "drift",
        *map(str, stacks),
        "--parallel",
        str(parallel),
        "--format",
        "json",
        "--out",
        str(out),
        *extra,
    ]
    started = time.monotonic()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_rss(proc.pid))
        time.sleep(0.2)
    stdout, stderr = proc.communicate()
    wall = time.monotonic() - started
    if proc.returncode != 0:
        sys.exit(f"fedstack drift exited {proc.returncode}: {stderr[-800:]}")
    report = json.loads((out / "drift.json").read_text())
    ran_merged = sum(1 for s in report["stacks"] if s.get("merged"))
    if merged and len(stacks) > 1 and ran_merged != len(stacks):
        sys.exit(f"only {ran_merged} of {len(stacks)} stacks ran merged: {stderr[-800:]}")
    return wall, peak


def _tree_rss(root: int) -> int:
    """Resident bytes of `root` and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, todo, seen = 0, [root], set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += rss.get(pid, 0)
        todo += [child for child, parent in parents.items() if parent == pid]
    return total


def _print_groups(stacks: list[Path], sizes: list[int], parallel: int) -> None:
    """Merged check of the same stacks as one group or as several groups run in parallel."""
    from fedstack.drift import DriftOptions, discover_stacks, run_drift

    found = discover_stacks(stacks)
    print()
    print(f"| {len(found)} shared stacks, --parallel {parallel} | merged groups | wall (s) |")
    print("| --- | ---: | ---: |")
    for size in sizes:
        started = time.monotonic()
        report = run_drift(found, DriftOptions(parallel=parallel, merge_group_size=size))
        wall = time.monotonic() - started
        if report.exit_code != 0:
            sys.exit(f"group size {size}: exit {report.exit_code}")
        groups = -(-len(found) // size)
        print(f"| groups of at most {size} | {groups} | {wall:.1f} |", flush=True)


def _label(row: dict) -> str:
    return f"{row['n']} {'distinct' if row['distinct'] else 'shared'}"


def _print_row(r: dict) -> None:
    print(
        f"measured {_label(r)}: loop {r['loop']:.1f} s, --no-merge {r['alone']:.1f} s, "
        f"merged {r['merged']:.1f} s, merged peak {r['peak_mib']:.0f} MiB",
        flush=True,
    )


def _print_table(rows: list[dict], binary: object, parallel: int) -> None:
    print(
        f"machine: {platform.node()} ({os.cpu_count()} cores, {platform.machine()}), "
        f"load average {os.getloadavg()[0]:.1f} at the end; {binary}"
    )
    print(
        "inputs: N stacks of one S3 bucket each on the sandbox-fr moto server, sharing one provider "
        f"configuration or each with its own; fedstack drift --parallel {parallel}"
    )
    print()
    print(
        "| stacks (configurations) | terraform plan loop (s) | --no-merge --parallel "
        f"{parallel} (s) | merged (s) | merged / loop | merged / --no-merge | merged peak memory (MiB) |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(
            f"| {_label(r)} | {r['loop']:.1f} | {r['alone']:.1f} | {r['merged']:.1f} | "
            f"{r['merged'] / r['loop']:.2f} | {r['merged'] / r['alone']:.2f} | {r['peak_mib']:.0f} |"
        )


if __name__ == "__main__":
    main()
