"""The bridge client: the CLI posts a run with a bearer token; failures are clear errors.

The bridge's `POST /v1/drift-runs` is being built on the `bridge` branch; until it lands, a real
HTTP server on loopback (the `bridge_receiver` fixture) stands in for it.
"""

from __future__ import annotations

import socket

import pytest
from fedstack.drift import BridgeError, DriftReport, bridge_token, post_run

from .conftest import BridgeReceiver
from .reports import sample_report


def test_post_run_sends_the_report_json_with_a_bearer_token(
    bridge_receiver: BridgeReceiver,
) -> None:
    report = sample_report()
    answer = post_run(bridge_receiver.url + "/", report, token="tok-123")
    (request,) = bridge_receiver.requests
    assert request.path == "/v1/drift-runs"
    assert request.headers["Authorization"] == "Bearer tok-123"
    assert DriftReport.model_validate_json(request.body) == report
    assert answer["id"] == report.run_id


def test_a_refusal_is_a_clear_error_without_the_token(bridge_receiver: BridgeReceiver) -> None:
    bridge_receiver.status = 403
    with pytest.raises(BridgeError, match="drift:write") as caught:
        post_run(bridge_receiver.url, sample_report(), token="tok-secret-999")
    assert "tok-secret-999" not in str(caught.value)


def test_a_server_error_names_the_status(bridge_receiver: BridgeReceiver) -> None:
    bridge_receiver.status = 500
    with pytest.raises(BridgeError, match="HTTP 500"):
        post_run(bridge_receiver.url, sample_report())


def test_an_unreachable_bridge_is_a_clear_error() -> None:
    with socket.socket() as sock:  # a port nobody listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(BridgeError, match="cannot post the drift run"):
        post_run(f"http://127.0.0.1:{port}", sample_report(), timeout=5)


def test_token_comes_from_fedstack_bridge_token_then_tf_http_password(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("FEDSTACK_BRIDGE_TOKEN", raising=False)
    monkeypatch.setenv("TF_HTTP_PASSWORD", "from-terraform")
    assert bridge_token() == "from-terraform"
    monkeypatch.setenv("FEDSTACK_BRIDGE_TOKEN", "from-fedstack")
    assert bridge_token() == "from-fedstack"
    monkeypatch.delenv("FEDSTACK_BRIDGE_TOKEN")
    monkeypatch.delenv("TF_HTTP_PASSWORD")
    assert bridge_token() is None
