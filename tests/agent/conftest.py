"""Agent fixtures: a real bridge, the Fulcrum-protocol server, and one agent process.

- `agent_bridge`: a `fedstack bridge serve` process on SQLite (tests/bridge's BridgeProcess).
- `fulcrum`: the Fulcrum-protocol server of fulcrum_server.py (Fulcrum core cannot run here),
  with the object_storage service type and the agent's metric types registered from
  `fedstack agent service-types` output.
- `agent`: one `fedstack agent run` process for sandbox-fr/fr-par, reused by the module's tests;
  `restart()` starts it again after a test killed it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bridge_helpers import BridgeProcess, make_tokens, wait_until
from cli_helpers import FEDSTACK, run_fedstack
from fulcrum_server import FulcrumServer, serve_fulcrum

PROVIDER, REGION = "sandbox-fr", "fr-par"


@dataclass
class BridgeAccess:
    """The bridge process and an all-projects token (the agent's)."""

    process: BridgeProcess
    token: str

    @property
    def url(self) -> str:
        return self.process.url


@pytest.fixture(scope="module")
def agent_bridge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BridgeAccess]:
    """A real bridge on loopback with its own SQLite database."""
    folder = tmp_path_factory.mktemp("agent-bridge")
    db_url = f"sqlite:///{folder / 'bridge.sqlite3'}"
    token = make_tokens(db_url, "agent-tests").root
    process = BridgeProcess(db_url, folder / "bridge.log").start()
    yield BridgeAccess(process, token)
    process.stop()


@pytest.fixture(scope="module")
def fulcrum() -> Iterator[FulcrumServer]:
    """The Fulcrum-protocol server, the types registered as docs/fulcrum.md says."""
    done = run_fedstack(
        "agent", "service-types", "--provider", PROVIDER, "--capability", "object_storage"
    )
    assert done.returncode == 0, done.stderr
    definitions = json.loads(done.stdout)
    with serve_fulcrum() as server:
        server.object_storage = server.register_service_type(definitions["serviceTypes"][0])  # type: ignore[attr-defined]
        for metric_type in definitions["metricTypes"]:
            server.register_metric_type(metric_type)
        yield server


@dataclass
class AgentProcess:
    """One `fedstack agent run` process (its own session, so a kill takes Terraform with it)."""

    command: list[str]
    env: dict[str, str]
    work_dir: Path
    log: Path
    proc: subprocess.Popen[bytes] | None = None
    starts: int = 0
    logs: list[Path] = field(default_factory=list)

    def start(self) -> AgentProcess:
        self.starts += 1
        log = self.log.with_suffix(f".{self.starts}.log")
        self.logs.append(log)
        with log.open("wb") as out:
            self.proc = subprocess.Popen(
                self.command,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=self.env,
                start_new_session=True,
            )
        return self

    def output(self) -> str:
        return "".join(p.read_text(errors="replace") for p in self.logs if p.exists())

    def journal(self) -> dict[str, dict[str, object]]:
        path = self.work_dir / "journal.json"
        return json.loads(path.read_text())["jobs"] if path.exists() else {}

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def signal(self, sig: int) -> None:
        assert self.proc is not None
        self.proc.send_signal(sig)

    def kill_session(self) -> None:
        """SIGKILL the agent and everything it started (Terraform, providers): a crash."""
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> int:
        """SIGTERM, then wait for the clean exit (the job under way finishes first)."""
        if not self.running():
            return self.proc.returncode if self.proc else 0
        self.signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=180)  # type: ignore[union-attr]
        except subprocess.TimeoutExpired:
            self.kill_session()
            raise AssertionError(
                f"the agent did not stop on SIGTERM: {self.output()[-2000:]}"
            ) from None


@pytest.fixture(scope="module")
def agent(
    sandbox: object,
    agent_bridge: BridgeAccess,
    fulcrum: FulcrumServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[AgentProcess]:
    """The agent for sandbox-fr/fr-par, Connected before the first test runs."""
    folder = tmp_path_factory.mktemp("agent")
    token_file = folder / "agent.token"
    token_file.write_text(fulcrum.token + "\n")
    env = {**os.environ, "FEDSTACK_BRIDGE_TOKEN": agent_bridge.token}
    command = [
        FEDSTACK,
        "agent", "run",
        "--fulcrum", fulcrum.url,
        "--token-file", str(token_file),
        "--provider", PROVIDER,
        "--region", REGION,
        "--bridge", agent_bridge.url,
        "--work-dir", str(folder / "work"),
        "--poll-interval", "0.3",
        "--drift-interval", "86400",
    ]  # fmt: skip
    process = AgentProcess(command, env, folder / "work", folder / "agent").start()
    wait_until(
        lambda: fulcrum.agent["status"] == "Connected" or not process.running(),
        timeout=60,
        what="the agent to report Connected",
    )
    assert process.running(), process.output()
    yield process
    if process.running():
        process.stop()
