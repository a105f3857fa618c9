"""examples/federated-webapp deployed once on the session's sandbox, with every state in a real bridge.

Two slow files need the app deployed: tests/cdk/test_cdk_e2e.py (the deploy and the destroy
through the bridge) and tests/exit/test_exit_e2e.py (`fedstack exit sandbox-fr`). The app's
bucket is `webapp-assets`, so one sandbox holds one copy at a time, and a deploy and a destroy
cost minutes: in one session they share the `webapp` fixture (tests/conftest.py). Run alone,
each file deploys its own copy the same way.

The tests that use it run in the order set by `webapp_stage(n)` (tests/conftest.py, default 1):
the CDK checks of the fresh deployment (0), then the exit's sequence (1), then the CDK destroy
(2), which destroys what the app places by then (after an exit: sandbox-it, not sandbox-fr).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bridge_helpers import BridgeProcess, make_tokens
from sandbox_helpers import sandbox_client

from fedstack.sandbox import SandboxServer

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "federated-webapp"
FEDSTACK = str(Path(sys.executable).parent / "fedstack")
PROJECT = "webapp"
FR, DE, NL = "webapp-sandbox-fr-fr-par", "webapp-sandbox-de-de-fra", "webapp-sandbox-nl-nl-ams"
IT = "webapp-sandbox-it-it-mil"


@dataclass
class Webapp:
    """The deployed app: its folder, synth output, the environment of every `fedstack` run on
    it (bridge and token included), the DNS zone, and what `fedstack deploy --json` printed."""

    app: Path
    out: Path
    env: dict[str, str]
    bridge: dict[str, str]
    endpoints: dict[str, str]
    zone: str
    zone_id: str
    deployed: dict[str, Any]
    destroyed: dict[str, Any] | None = None

    def fedstack(self, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
        """`fedstack ARGS --out OUT --json` on the app; its JSON output (exit code 0 asserted)."""
        done = run_fedstack(
            *args, str(self.app), "--out", str(self.out), "--json", env=env or self.env
        )
        assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
        return dict(json.loads(done.stdout))

    def destroy(self) -> dict[str, Any]:
        """`fedstack destroy` of what the app places now; its JSON output, kept in `destroyed`."""
        self.destroyed = self.fedstack("destroy")
        return self.destroyed


def run_fedstack(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The `fedstack` console script of this venv, run to the end."""
    return subprocess.run(
        [FEDSTACK, *args], capture_output=True, text=True, env=env, timeout=900, check=False
    )


@contextlib.contextmanager
def deployed_webapp(sandbox: dict[str, SandboxServer], folder: Path) -> Iterator[Webapp]:
    """Deploy the app through a fresh bridge (SQLite, auth on); destroy what is left after."""
    app = folder / "app"
    shutil.copytree(EXAMPLE, app, ignore=shutil.ignore_patterns("cdktf.out", ".fedstack-exit"))
    db = f"sqlite:///{folder / 'bridge.sqlite3'}"
    token = make_tokens(db, PROJECT).write
    process = BridgeProcess(db, folder / "bridge.log").start()
    try:
        bridge = {
            "FEDSTACK_BRIDGE_URL": process.url,
            "TF_HTTP_USERNAME": "fedstack",
            "TF_HTTP_PASSWORD": token,
        }
        zone = f"e2e-{secrets.token_hex(3)}.example.eu"
        env = {k: v for k, v in os.environ.items() if k != "FEDSTACK_POLICY"}
        env.update(bridge, WEBAPP_ZONE=zone, CHECKPOINT_DISABLE="1", COLUMNS="200")
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
        endpoints = {name: server.endpoint for name, server in sandbox.items()}
        route53 = sandbox_client("route53", endpoints["sandbox-nl"], "eu-west-1")
        zone_id = route53.create_hosted_zone(Name=zone, CallerReference=zone)["HostedZone"]["Id"]
        webapp = Webapp(app, folder / "out", env, bridge, endpoints, zone, zone_id, {})
        try:
            webapp.deployed = webapp.fedstack("deploy")
            yield webapp
        finally:
            _clean_up(webapp)
    finally:
        process.stop()


def _clean_up(webapp: Webapp) -> None:
    """Destroy what a test did not: an exit stopped before its lock left both placements."""
    exit_started = (webapp.app / ".fedstack-exit").is_dir()
    if exit_started and not (webapp.app / "fedstack.exits.json").is_file():
        run_fedstack(
            "destroy",
            str(webapp.app),
            "--out",
            str(webapp.out),
            env={**webapp.env, "FEDSTACK_EXIT_EXCLUDE": "sandbox-fr"},
        )
    if webapp.destroyed is None:
        run_fedstack("destroy", str(webapp.app), "--out", str(webapp.out), env=webapp.env)
