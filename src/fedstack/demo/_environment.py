"""What the demo starts and must stop: private sandbox servers, a bridge on a free port, tokens.

Everything lives in a fresh folder under FEDSTACK_HOME/demo/ (the sandbox state file and the
bridge's SQLite database), so the demo never touches a sandbox or bridge the user runs, and
stops exactly what it started. Tokens stay in memory: Terraform gets its token through
TF_HTTP_USERNAME/TF_HTTP_PASSWORD in its environment; the dashboard's read token is written to
one file readable by the user only, for the browser login.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from fedstack import config
from fedstack.sandbox import Sandbox

__all__ = ["DemoEnvironment", "demo_environment"]

TF_HTTP_USERNAME = "fedstack-demo"
"""Terraform sends basic auth only with a user name; the bridge reads the password (the token)."""


@dataclass(frozen=True)
class DemoEnvironment:
    """The running pieces: where they live, their addresses and the demo's tokens."""

    home: Path
    project: str
    bridge_url: str
    endpoints: dict[str, str]
    sandbox_pids: tuple[int, ...]
    state_token: str
    drift_token: str
    admin_token: str
    read_token_file: Path

    @property
    def dashboard_url(self) -> str:
        """The bridge's dashboard overview page."""
        return f"{self.bridge_url}/dashboard"

    def terraform_env(self) -> dict[str, str]:
        """The environment Terraform needs for the bridge backend (the token never goes in files)."""
        return {"TF_HTTP_USERNAME": TF_HTTP_USERNAME, "TF_HTTP_PASSWORD": self.state_token}


@contextlib.contextmanager
def demo_environment(
    project: str, providers: list[str], *, on_step=None
) -> Iterator[DemoEnvironment]:  # type: ignore[no-untyped-def]
    """Start sandbox servers and a bridge in a fresh folder; stop both and remove it afterwards."""
    from fedstack.bridge import BridgeSettings, running_bridge

    notify = on_step or (lambda _message: None)
    parent = config.home() / "demo"
    parent.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="run-", dir=parent))
    box = Sandbox(home=home)
    try:
        notify(f"starting sandbox providers {', '.join(providers)}")
        servers = box.up(providers)
        db_url = f"sqlite:///{home / 'bridge.sqlite3'}"
        tokens = _create_tokens(db_url, project)
        read_token_file = home / "dashboard-token"
        read_token_file.touch(mode=0o600)
        read_token_file.write_text(tokens["state:read"] + "\n")
        notify("starting the bridge (SQLite, loopback, free port)")
        with running_bridge(BridgeSettings(db_url=db_url, host="127.0.0.1", port=0)) as url:
            yield DemoEnvironment(
                home=home,
                project=project,
                bridge_url=url,
                endpoints={name: s.endpoint for name, s in servers.items()},
                sandbox_pids=tuple(s.pid for s in servers.values()),
                state_token=tokens["state:write"],
                drift_token=tokens["drift:write"],
                admin_token=tokens["admin"],
                read_token_file=read_token_file,
            )
            notify("stopping the bridge")
    finally:
        notify("stopping the sandbox providers")
        box.down()
        shutil.rmtree(home, ignore_errors=True)


def _create_tokens(db_url: str, project: str) -> dict[str, str]:
    """One token per job, each with the least scope it needs, all for the demo's project."""
    from fedstack.bridge.store import create_token, migrate, open_engine

    engine = open_engine(db_url)
    try:
        migrate(engine)
        return {
            scope: create_token(engine, project, scope, f"fedstack demo ({os.getpid()})").secret
            for scope in ("state:write", "drift:write", "state:read", "admin")
        }
    finally:
        engine.dispose()
