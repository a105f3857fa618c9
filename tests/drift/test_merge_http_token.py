"""The merged root reads an http-backend state with what Terraform would send, and sends
FEDSTACK_BRIDGE_TOKEN only to the bridge FEDSTACK_BRIDGE_URL names (a recording HTTP server on
loopback stands in for both bridges: only the Authorization header it receives is checked)."""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler

from http_helpers import loopback_server

import pytest

from fedstack.drift.merge import NotMergeable, _http_state


class _Recorder(BaseHTTPRequestHandler):
    seen: list[str | None] = []

    def do_GET(self) -> None:
        _Recorder.seen.append(self.headers.get("Authorization"))
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[str]:
    _Recorder.seen.clear()
    with loopback_server(_Recorder) as url:
        yield url


def _read(address: str) -> None:
    try:
        assert _http_state({"address": address}, {}) is None  # 404: no state yet
    except NotMergeable as exc:  # pragma: no cover - the assertion below says what was sent
        pytest.fail(str(exc))


def test_bridge_token_goes_only_to_the_configured_bridge(
    recorder: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FEDSTACK_BRIDGE_TOKEN", "fsb_secret_of_the_configured_bridge")
    monkeypatch.delenv("TF_HTTP_PASSWORD", raising=False)
    monkeypatch.setenv("FEDSTACK_BRIDGE_URL", "http://127.0.0.1:9")  # another bridge
    _read(f"{recorder}/v1/states/p/s")
    monkeypatch.setenv("FEDSTACK_BRIDGE_URL", recorder)
    _read(f"{recorder}/v1/states/p/s")
    assert _Recorder.seen == [None, "Bearer fsb_secret_of_the_configured_bridge"]


def test_the_backend_password_is_what_is_sent(
    recorder: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FEDSTACK_BRIDGE_TOKEN", "fsb_secret_of_the_configured_bridge")
    monkeypatch.setenv("FEDSTACK_BRIDGE_URL", recorder)
    assert _http_state({"address": f"{recorder}/v1/states/p/s", "password": "fsb_own"}, {}) is None
    assert _Recorder.seen == ["Bearer fsb_own"]
