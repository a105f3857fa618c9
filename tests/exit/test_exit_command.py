"""`fedstack exit PROVIDER APP --plan-only`: the real CLI on a real app (its own process, Node).

No sandbox runs here: placement needs none, and the data estimate says so for each store.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fedstack.contracts import ExitLock, ExitRecord, write_exit_lock

APP = """
import os
from fedstack.cdk import FederatedApp, Network, ObjectStore, Workload
app = FederatedApp(project="shop", policy=os.environ.get("FEDSTACK_POLICY", "eu-data-residency"))
shop = Workload(app, "shop")
ObjectStore(shop, "data", prefer=["sandbox-fr"])
Network(shop, "net", prefer=["sandbox-de"])
app.synth()
"""


def _exit(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "fedstack.cli", "exit", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def app(tmp_path: Path) -> Path:
    (tmp_path / "main.py").write_text(APP)
    return tmp_path


def test_plan_moves_the_store_off_the_provider_and_keeps_the_rest(app: Path) -> None:
    done = _exit("sandbox-fr", str(app), "--plan-only", "--json")
    assert done.returncode == 0, done.stderr
    plan = json.loads(done.stdout)
    assert plan["possible"] is True
    [move] = plan["moves"]
    assert move["component"] == "data" and move["source"] == "sandbox-fr/fr-par"
    assert not move["target"].startswith("sandbox-fr/")
    assert [s["component"] for s in plan["stays"]] == ["net"]
    assert [d["component"] for d in plan["data_to_copy"]["stores"]] == ["data"]


def test_no_candidate_under_the_policy_is_one_line_naming_the_rule(app: Path) -> None:
    done = _exit("sandbox-fr", str(app), "--policy", "gaia-x-label-2", "--plan-only")
    assert done.returncode == 2
    [line] = done.stderr.strip().splitlines()[-1:]
    assert line.startswith("fedstack: error: cannot leave sandbox-fr: shop/data (object_storage)")
    assert "policy gaia-x-label-min refused the last" in line
    assert "Traceback" not in done.stderr


def test_recorded_exit_keeps_the_app_off_the_provider(app: Path) -> None:
    write_exit_lock(app, ExitLock().with_exit(ExitRecord(provider="sandbox-fr")))
    done = _exit("sandbox-fr", str(app), "--plan-only", "--json")
    assert done.returncode == 0, done.stderr
    plan = json.loads(done.stdout)
    assert plan["moves"] == [] and "nothing to do" in plan["summary"]


def test_unknown_provider_or_region_is_a_usage_error(app: Path) -> None:
    unknown = _exit("nowhere", str(app), "--plan-only")
    assert unknown.returncode == 64 and "'nowhere' is not in the catalog" in unknown.stderr
    region = _exit("sandbox-fr", str(app), "--region", "mars", "--plan-only")
    assert region.returncode == 64 and "sandbox-fr has no region 'mars'" in region.stderr
