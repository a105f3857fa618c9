"""The sandbox state file: which moto server runs for which sandbox provider, and where."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from fedstack.errors import SandboxError

__all__ = ["SandboxServer", "read_state", "state_file", "write_state"]

_FORMAT = 1


@dataclass(frozen=True)
class SandboxServer:
    """One running sandbox provider: a moto server on a loopback port."""

    provider: str
    pid: int
    host: str
    port: int
    started_at: str
    log_file: str

    @property
    def endpoint(self) -> str:
        return f"http://{self.host}:{self.port}"


def state_file(home: Path) -> Path:
    """Where `fedstack sandbox up` records its servers (FEDSTACK_HOME/sandbox/state.json)."""
    return home / "sandbox" / "state.json"


def read_state(home: Path) -> dict[str, SandboxServer]:
    """The recorded servers by provider name; empty when the sandbox was never started."""
    path = state_file(home)
    if not path.exists():
        return {}
    try:
        raw = json.loads(path.read_text())
        return {
            name: SandboxServer(**{k: v for k, v in entry.items() if k != "endpoint"})
            for name, entry in raw["servers"].items()
        }
    except (ValueError, KeyError, TypeError) as exc:
        raise SandboxError(
            f"{path} is not a sandbox state file ({exc}); stop stray moto servers and remove it"
        ) from exc


def write_state(home: Path, servers: dict[str, SandboxServer]) -> None:
    """Record the servers atomically (readers never see half a file)."""
    path = state_file(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {
        "format": _FORMAT,
        "servers": {
            name: {**asdict(server), "endpoint": server.endpoint}
            for name, server in sorted(servers.items())
        },
    }
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix="state", suffix=".tmp")
    with os.fdopen(fd, "w") as handle:
        json.dump(body, handle, indent=2)
        handle.write("\n")
    os.replace(tmp, path)
