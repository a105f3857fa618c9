"""Bridge helpers for every test folder (tests/ is on sys.path): start a real bridge (a process,
or in-process for one project), make tokens and state bodies, wait with deadlines."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
from fedstack.bridge.store import create_token, migrate, open_engine
from fedstack.bridge.store._models import tokens as token_rows
from fedstack.unmanaged import Finding

MAX_STATE_BYTES = 2 * 1024 * 1024
"""The session bridges accept 2 MiB states, so the 413 test does not have to send 64 MiB."""


def free_port() -> int:
    """A TCP port on loopback that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(
    condition: Callable[[], bool], *, timeout: float, what: str, interval: float = 0.05
) -> None:
    """Poll `condition` until it holds; fail naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(interval)


@dataclass
class BridgeProcess:
    """One `fedstack bridge serve` subprocess on a loopback port."""

    db_url: str
    log: Path
    extra_args: list[str] = field(default_factory=list)
    port: int = field(default_factory=free_port)
    env: dict[str, str] = field(default_factory=dict)
    """Variables added to the process's environment (test hooks such as FEDSTACK_TEST_INDEX_DELAY)."""
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """Base URL of the bridge."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> BridgeProcess:
        """Start the process and wait until /readyz answers."""
        return self.launch().wait_ready()

    def launch(self) -> BridgeProcess:
        """Start the process without waiting for it."""
        command = [
            sys.executable,
            "-c",
            "from fedstack.cli import main; main()",
            "bridge",
            "serve",
            "--db",
            self.db_url,
            "--port",
            str(self.port),
            "--log-level",
            "warning",
            *self.extra_args,
        ]
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **self.env}
            )
        return self

    def wait_ready(self) -> BridgeProcess:
        """Wait until /readyz answers (the database is migrated and reachable)."""
        wait_until(self._ready, timeout=60, what=f"the bridge on {self.url} (log: {self.log})")
        return self

    def _ready(self) -> bool:
        assert self.proc is not None
        if self.proc.poll() is not None:
            raise AssertionError(
                f"the bridge exited with {self.proc.returncode}: {self.log.read_text()[-2000:]}"
            )
        try:
            return httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        """Stop gracefully (SIGTERM), then SIGKILL after 15 s."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def kill9(self) -> None:
        """Kill the process at once, as a crash would."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)


@dataclass(frozen=True)
class Tokens:
    """Tokens of one test project (`project`) plus an all-projects admin."""

    project: str
    read: str
    write: str
    admin: str
    other_project_write: str
    root: str


def make_tokens(db_url: str, project: str) -> Tokens:
    """Create one token per scope for `project` in the bridge database."""
    engine = open_engine(db_url)
    migrate(engine)
    try:

        def make(p: str, scope: str) -> str:
            return create_token(engine, p, scope).secret

        return Tokens(
            project=project,
            read=make(project, "state:read"),
            write=make(project, "state:write"),
            admin=make(project, "admin"),
            other_project_write=make(project + "-other", "state:write"),
            root=make("*", "admin"),
        )
    finally:
        engine.dispose()


@dataclass(frozen=True)
class ProjectBridge:
    """An in-process bridge and a state:write and a drift:write token of one project."""

    url: str
    state_token: str
    drift_token: str


@contextmanager
def project_bridge(db_url: str, project: str) -> Iterator[ProjectBridge]:
    """A bridge on `db_url` (migrated) on a free loopback port, stopped when the block ends."""
    from fedstack.bridge import BridgeSettings, running_bridge

    engine = open_engine(db_url)
    migrate(engine)
    try:
        state = create_token(engine, project, "state:write").secret
        drift = create_token(engine, project, "drift:write").secret
    finally:
        engine.dispose()
    with running_bridge(BridgeSettings(db_url=db_url, port=0)) as url:
        yield ProjectBridge(url, state, drift)


def set_token_expiry(db_url: str, token: str, expires_at: datetime) -> None:
    """Write a token's expiry straight into the database (an expired token without waiting)."""
    engine = open_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                token_rows.update()
                .where(token_rows.c.id == token.split("_")[1])
                .values(expires_at=expires_at)
            )
    finally:
        engine.dispose()


def bearer(token: str) -> dict[str, str]:
    """Authorization header for a Bearer token."""
    return {"Authorization": f"Bearer {token}"}


def state_body(
    serial: int, lineage: str, resources: list[dict[str, Any]] | None = None, pad: int = 0
) -> bytes:
    """A Terraform v4 state document as bytes (optionally padded to grow it)."""
    document: dict[str, Any] = {
        "version": 4,
        "terraform_version": "1.11.4",
        "serial": serial,
        "lineage": lineage,
        "outputs": {},
        "resources": resources or [],
        "check_results": None,
    }
    if pad:
        document["outputs"] = {"padding": {"value": "x" * pad, "type": "string"}}
    return json.dumps(document, indent=2).encode()


def lock_info(who: str = "alice@laptop", lock_id: str | None = None) -> dict[str, Any]:
    """A LockInfo as Terraform sends it."""
    return {
        "ID": lock_id or str(uuid.uuid4()),
        "Operation": "OperationTypeApply",
        "Info": "",
        "Who": who,
        "Version": "1.11.4",
        "Created": "2026-11-29T12:00:00Z",
        "Path": "",
    }


def new_lineage() -> str:
    """A fresh lineage."""
    return str(uuid.uuid4())


def unique(prefix: str) -> str:
    """A unique, valid project or stack name."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def post_state_indexed(url: str, content: bytes | str, **kwargs: Any) -> httpx.Response:
    """POST a state and have the bridge answer once its inventory is indexed too (`wait=indexed`).

    Without it the bridge answers as soon as the state is durable and indexes after; tests that
    read the inventory or findings right after a write ask for this (Terraform never does; its
    UNLOCK waits instead). Raises on an error answer; fails when the bridge says it timed out.
    """
    answer = httpx.post(url, content=content, params={"wait": "indexed"}, timeout=60, **kwargs)
    answer.raise_for_status()
    assert answer.json()["indexed"] is True, answer.text
    return answer


def bucket_finding(name: str) -> Finding:
    """An unmanaged bucket `name` at sandbox-fr (fr-par), as `fedstack unmanaged` reports one."""
    return Finding(
        provider="sandbox-fr",
        region="fr-par",
        country="FR",
        kind="object_storage",
        resource_type="aws_s3_bucket",
        identifier=name,
        import_id=name,
        address=f"sandbox-fr/fr-par/aws_s3_bucket/{name}",
        import_block=f'import {{\n  to = aws_s3_bucket.{name}\n  id = "{name}"\n}}\n',
    )
