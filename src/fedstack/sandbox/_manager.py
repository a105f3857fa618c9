"""Start, find and stop the sandbox cloud: one moto server per sandbox provider on loopback."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from fedstack import config
from fedstack.catalog import load_catalog
from fedstack.errors import SandboxError
from fedstack.sandbox._state import SandboxServer, read_state, state_file, write_state

__all__ = ["Sandbox", "SandboxStatus"]

_HOST = "127.0.0.1"
_START_TIMEOUT = 60.0


@dataclass(frozen=True)
class SandboxStatus:
    """A recorded server and whether it still answers."""

    server: SandboxServer
    running: bool


class Sandbox:
    """The sandbox cloud recorded under FEDSTACK_HOME (or `home`)."""

    def __init__(self, home: Path | None = None) -> None:
        self.home = home or config.home()

    @property
    def state_file(self) -> Path:
        return state_file(self.home)

    def up(self, providers: Sequence[str] | None = None) -> dict[str, SandboxServer]:
        """Start a server for each provider not already running; idempotent."""
        known = load_catalog().sandbox_providers()
        wanted = list(providers) if providers else known
        if not wanted:
            raise SandboxError("the catalog lists no sandbox providers")
        unknown = sorted(set(wanted) - set(known))
        if unknown:
            raise SandboxError(
                f"unknown sandbox provider {', '.join(unknown)}; the catalog lists {', '.join(known)}"
            )
        with self._locked():
            servers = {
                name: server for name, server in read_state(self.home).items() if _answers(server)
            }
            starting = {name: self._spawn(name) for name in wanted if name not in servers}
            try:
                for name, (server, proc) in starting.items():
                    _wait_until_up(server, proc)
                    servers[name] = server
            except SandboxError:
                for server, proc in starting.values():
                    _terminate(server.pid)
                raise
            finally:
                write_state(self.home, servers)
            return servers

    def down(self) -> list[SandboxServer]:
        """Stop exactly the servers `up` recorded; returns them."""
        with self._locked():
            servers = read_state(self.home)
            for server in servers.values():
                if _is_our_process(server):
                    _terminate(server.pid)
            write_state(self.home, {})
            return list(servers.values())

    def status(self) -> list[SandboxStatus]:
        """Every recorded server and whether it answers now."""
        return [SandboxStatus(s, _answers(s)) for s in read_state(self.home).values()]

    def endpoints(self) -> dict[str, str]:
        """Endpoint URL per running sandbox provider, as recorded in the state file."""
        return {s.server.provider: s.server.endpoint for s in self.status() if s.running}

    # -- helpers ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        lock = self.state_file.parent / ".lock"
        lock.parent.mkdir(parents=True, exist_ok=True)
        with open(lock, "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _spawn(self, provider: str) -> tuple[SandboxServer, subprocess.Popen[bytes]]:
        port = _free_port()
        log_file = self.state_file.parent / f"{provider}.log"
        with open(log_file, "ab") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "moto.server", "-H", _HOST, "-p", str(port)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # survives the CLI that started it
                env={**os.environ, "MOTO_SANDBOX_PROVIDER": provider},
            )
        server = SandboxServer(
            provider=provider,
            pid=proc.pid,
            host=_HOST,
            port=port,
            started_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            log_file=str(log_file),
        )
        return server, proc


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((_HOST, 0))
        return int(sock.getsockname()[1])


def _answers(server: SandboxServer) -> bool:
    if not _is_our_process(server):
        return False
    try:
        with urllib.request.urlopen(f"{server.endpoint}/moto-api/", timeout=2):
            return True
    except urllib.error.HTTPError:
        return True  # it answered, whatever it said
    except (OSError, urllib.error.URLError):
        return False


def _is_our_process(server: SandboxServer) -> bool:
    """The pid still runs a moto server on the recorded port (pids get reused)."""
    try:
        cmdline = Path(f"/proc/{server.pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return b"moto.server" in cmdline and str(server.port).encode() in cmdline


def _wait_until_up(server: SandboxServer, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + _START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = Path(server.log_file).read_text(errors="replace").strip().splitlines()[-3:]
            raise SandboxError(
                f"the moto server for {server.provider} exited with code {proc.returncode}: "
                + " / ".join(tail)
            )
        if _answers(server):
            return
        time.sleep(0.2)
    raise SandboxError(
        f"the moto server for {server.provider} did not answer on {server.endpoint} "
        f"within {_START_TIMEOUT:g} s (log: {server.log_file})"
    )


def _terminate(pid: int) -> None:
    for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            with contextlib.suppress(ChildProcessError):
                if os.waitpid(pid, os.WNOHANG)[0] == pid:
                    return
            if not Path(f"/proc/{pid}").exists():
                return
            time.sleep(0.1)
