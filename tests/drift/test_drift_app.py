"""`fedstack drift --app`: synthesize a federated app, then check its stacks (real terraform)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

APP = """
from fedstack.cdk import FederatedApp, ObjectStore, Workload

app = FederatedApp(project="tiny", policy="eu-data-residency")
ObjectStore(Workload(app, "tiny"), "files", prefer=["sandbox-fr"])
app.synth()
"""


@pytest.mark.slow
def test_drift_app_synthesizes_the_app_and_checks_its_stacks(sandbox, tmp_path: Path) -> None:
    app = tmp_path / "app"
    app.mkdir()
    (app / "main.py").write_text(APP)
    out = tmp_path / "reports"
    env = {
        k: v for k, v in os.environ.items() if k not in ("FEDSTACK_BRIDGE_URL", "FEDSTACK_POLICY")
    }
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "fedstack.cli",
            "drift",
            "--app",
            str(app),
            "--out",
            str(out),
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    # Never deployed: the refresh-only plan of an empty state finds nothing to drift.
    assert done.returncode == 0, done.stderr[-3000:]
    assert (app / "cdktf.out" / "manifest.json").is_file(), "the app was synthesized beside it"
    report = (
        json.loads((out / "drift.json").read_text())
        if (out / "drift.json").exists()
        else json.loads(next(out.glob("*.json")).read_text())
    )
    [stack] = report["stacks"]
    assert stack["name"].startswith("tiny-sandbox-fr-")
    assert stack["provider"] == "sandbox-fr"
    assert stack["status"] == "in_sync"


def test_drift_app_that_does_not_exist_is_one_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "fedstack.cli", "drift", "--app", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].startswith("fedstack: error: ")
    assert "no federated app here" in done.stderr
    assert "Traceback" not in done.stderr
