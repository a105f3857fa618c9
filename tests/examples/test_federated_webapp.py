"""examples/federated-webapp's documented switch: one code, two catalog selections.

The sandbox target is applied for real by tests/cdk/test_cdk_e2e.py and by `fedstack demo`
(tests/demo/); the cloud target can only be placed here (no provider accounts), so this test
checks where each target puts the components, through the CLI a user runs.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

from cli_helpers import FEDSTACK

from fedstack.catalog import load_catalog
from sandbox_helpers import sandbox_client

APP = Path(__file__).resolve().parents[2] / "examples" / "federated-webapp"


def _placement(**env: str) -> dict[str, tuple[str, str]]:
    done = subprocess.run(
        [FEDSTACK, "plan-placement", str(APP), "--json"],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    plan = json.loads(done.stdout)
    return {
        d["component"]: (d["provider"], d["region"])
        for w in plan["workloads"]
        for d in w["decisions"]
    }


def test_webapp_target_switches_between_sandbox_and_real_providers() -> None:
    kinds = {name: p.kind for name, p in load_catalog().providers.items()}
    sandbox = _placement(WEBAPP_TARGET="sandbox", FEDSTACK_POLICY="eu-sovereign")
    assert sandbox["assets"] == ("sandbox-fr", "fr-par") and sandbox["www"] == (
        "sandbox-nl",
        "nl-ams",
    )
    cloud = _placement(WEBAPP_TARGET="cloud", FEDSTACK_POLICY="eu-data-residency")
    assert {kinds[provider] for provider, _ in cloud.values()} == {"cloud"}
    assert cloud["assets"][0] == "scaleway" and cloud["net"] == cloud["server"]
    assert len({provider for provider, _ in cloud.values()}) == 3  # spread 3, as on the sandbox


def test_readme_zone_step_creates_the_zone_in_the_sandbox_of_fedstack_home(tmp_path) -> None:
    from fedstack.sandbox import Sandbox

    line = next(
        line
        for line in (APP / "README.md").read_text().splitlines()
        if line.startswith("python -c") and "create_hosted_zone" in line
    )
    home = tmp_path / "home"  # not the default home: the step must follow FEDSTACK_HOME
    box = Sandbox(home)
    servers = box.up()
    try:
        env = {**os.environ, "FEDSTACK_HOME": str(home)}
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}"
        done = subprocess.run(
            ["bash", "-c", line], env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr[-2000:]
        route53 = sandbox_client("route53", servers["sandbox-nl"].endpoint, "eu-west-1")
        zones = [z["Name"] for z in route53.list_hosted_zones()["HostedZones"]]
        assert zones == ["webapp.example.eu."]
    finally:
        box.down()


def _main_py(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`python main.py` in a copy of the example, with an empty FEDSTACK_HOME (no sandbox)."""
    app = tmp_path / "app"
    shutil.copytree(APP, app, ignore=shutil.ignore_patterns("cdktf.out", ".terraform*"))
    base = {k: v for k, v in os.environ.items() if k not in ("FEDSTACK_BRIDGE_URL", "CDKTF_OUTDIR")}
    base["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{base['PATH']}"
    done = subprocess.run(
        [sys.executable, "main.py"],
        cwd=app,
        env={**base, "FEDSTACK_HOME": str(tmp_path / "home"), **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert not (app / "cdktf.out" / "manifest.json").exists()  # nothing half-written
    return done


def test_main_py_without_a_sandbox_says_to_start_it_in_one_line(tmp_path: Path) -> None:
    done = _main_py(tmp_path)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"fedstack: error: sandbox-fr is not running (no sandbox under FEDSTACK_HOME="
        f"{tmp_path / 'home'}): run `fedstack sandbox up` first"
    ]
    assert done.stdout == ""


def test_main_py_with_a_bridge_url_that_does_not_answer_says_to_start_it(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"
    done = _main_py(tmp_path, FEDSTACK_BRIDGE_URL=closed)
    assert done.returncode == 1
    [line] = done.stderr.splitlines()
    assert line.startswith(
        f"fedstack: error: FEDSTACK_BRIDGE_URL={closed}: cannot reach the bridge"
    )
    assert "start one with `fedstack bridge serve`" in line and "Traceback" not in done.stderr
