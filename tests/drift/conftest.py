"""Fixtures of the drift tests: a loopback HTTP receiver standing in for the bridge.

The receiver stands in for the bridge's `POST /v1/drift-runs` until that endpoint lands on main
(it is built in parallel on the `bridge` branch): a real HTTP server on 127.0.0.1 that records
every request and answers like the bridge will (201 with the run's id and URL).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from http_helpers import loopback_server

import pytest
from bridge_helpers import BridgeProcess, Tokens, make_tokens


@dataclass
class Received:
    """One request the receiver got."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class BridgeReceiver:
    """A loopback HTTP server recording requests; `status` sets the answer's status code."""

    url: str
    requests: list[Received] = field(default_factory=list)
    status: int = 201


@contextlib.contextmanager
def serve_receiver() -> Iterator[BridgeReceiver]:
    """Run a BridgeReceiver on 127.0.0.1 for the duration of the block."""
    receiver = BridgeReceiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            receiver.requests.append(Received("POST", self.path, dict(self.headers.items()), body))
            answer = {"id": json.loads(body).get("run_id"), "url": f"{receiver.url}/runs/1"}
            if receiver.status >= 400:
                answer = {"error": "token lacks drift:write"}
            payload = json.dumps(answer).encode()
            self.send_response(receiver.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    with loopback_server(Handler) as receiver.url:
        yield receiver


@pytest.fixture
def bridge_receiver() -> Iterator[BridgeReceiver]:
    """A real HTTP server on 127.0.0.1 standing in for the bridge (see the module docstring)."""
    with serve_receiver() as receiver:
        yield receiver


@pytest.fixture(scope="module")
def module_bridge_receiver() -> Iterator[BridgeReceiver]:
    """The same stand-in, shared by the tests of one module."""
    with serve_receiver() as receiver:
        yield receiver


@dataclass
class RealBridge:
    """A real `fedstack bridge serve` on loopback (SQLite) and tokens for one project."""

    url: str
    project: str
    tokens: Tokens
    db_url: str


@pytest.fixture(scope="session")
def real_bridge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealBridge]:
    """A real bridge process on SQLite for the whole session, with tokens for project `drift`."""
    folder = tmp_path_factory.mktemp("drift-bridge")
    db_url = f"sqlite:///{folder / 'bridge.sqlite3'}"
    tokens = make_tokens(db_url, "drift")
    process = BridgeProcess(db_url, folder / "bridge.log").start()
    try:
        yield RealBridge(url=process.url, project="drift", tokens=tokens, db_url=db_url)
    finally:
        process.stop()
