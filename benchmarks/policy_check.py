"""How long `policy check` takes on large plans: parse, resolve, check, render each format.

Prints the machine, the inputs and a table. Run: .venv/bin/python benchmarks/policy_check.py
The plans are synthetic (format of `terraform show -json`), spread over the providers of
tests/policy/data/catalog-real.yaml; one resource in ten is outside the EEA.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

from fedstack.catalog import load_catalog
from fedstack.policy import check_plan, load_policy, render

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "tests" / "policy" / "data" / "catalog-real.yaml"
KINDS = [
    ("scaleway_object_bucket", "scaleway/scaleway", "region", "fr-par"),
    ("hcloud_server", "hetznercloud/hcloud", "location", "fsn1"),
    ("ionoscloud_datacenter", "ionos-cloud/ionoscloud", "location", "de/fra"),
    ("exoscale_compute_instance", "exoscale/exoscale", "zone", "at-vie-1"),
    ("hcloud_server", "hetznercloud/hcloud", "location", "ash"),
]


def synthetic_plan(count: int) -> dict[str, object]:
    """A plan with `count` resources; every tenth is in a US region."""
    changes, configured = [], []
    for i in range(count):
        rtype, source, arg, value = KINDS[4 if i % 10 == 9 else i % 4]
        name = f"r{i}"
        changes.append(
            {
                "address": f"{rtype}.{name}",
                "mode": "managed",
                "type": rtype,
                "name": name,
                "provider_name": f"registry.terraform.io/{source}",
                "change": {"actions": ["create"], "after": {"name": name, arg: value}},
            }
        )
        configured.append(
            {
                "address": f"{rtype}.{name}",
                "type": rtype,
                "name": name,
                "provider_config_key": source.split("/")[1],
            }
        )
    return {
        "format_version": "1.2",
        "resource_changes": changes,
        "configuration": {"provider_config": {}, "root_module": {"resources": configured}},
    }


def main() -> None:
    """Time each step for a few plan sizes and print the table."""
    catalog = load_catalog(CATALOG)
    policy = load_policy("eu-sovereign")
    print(f"machine: {platform.platform()}, {os.cpu_count()} cpus, Python {sys.version.split()[0]}")
    print(f"policy: {policy.name} ({len(policy.rules)} rules), catalog: {CATALOG.name}")
    print()
    print("| resources | plan MB | check s | md s | junit s | sarif s | json s | peak RSS MB |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as tmp:
        for count in (100, 1_000, 10_000):
            path = Path(tmp) / f"plan-{count}.json"
            path.write_text(json.dumps(synthetic_plan(count)))
            start = time.perf_counter()
            report = check_plan(path, catalog=catalog, policy=policy)
            checked = time.perf_counter() - start
            timings = []
            for fmt in ("md", "junit", "sarif", "json"):
                start = time.perf_counter()
                render(report, fmt)
                timings.append(time.perf_counter() - start)
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            size = path.stat().st_size / 1e6
            cells = " | ".join(f"{t:.2f}" for t in timings)
            print(f"| {count} | {size:.1f} | {checked:.2f} | {cells} | {rss:.0f} |")


if __name__ == "__main__":
    main()
