"""The bridge client (fedstack.client): the CLI posts a run with a bearer token; failures are clear errors.

The bridge's `POST /v1/drift-runs` is being built on the `bridge` branch; until it lands, a real
HTTP server on loopback (the `bridge_receiver` fixture) stands in for it.
"""

from __future__ import annotations

import socket

import pytest
from fedstack.client import BridgeClient, BridgeClientError, bridge_token
from fedstack.drift import DriftReport

from .conftest import BridgeReceiver
from .reports import sample_report


def test_post_run_sends_the_report_json_with_a_bearer_token(
    bridge_receiver: BridgeReceiver,
) -> None:
    report = sample_report()
    answer = BridgeClient(bridge_receiver.url + "/", "tok-123").post_drift_run(report)
    (request,) = bridge_receiver.requests
    assert request.path == "/v1/drift-runs"
    assert request.headers["Authorization"] == "Bearer tok-123"
    assert DriftReport.model_validate_json(request.body) == report
    assert answer["id"] == report.run_id


def test_a_refusal_is_a_clear_error_without_the_token(bridge_receiver: BridgeReceiver) -> None:
    bridge_receiver.status = 403
    with pytest.raises(BridgeClientError, match="drift:write") as caught:
        BridgeClient(bridge_receiver.url, "tok-secret-999").post_drift_run(sample_report())
    assert "tok-secret-999" not in str(caught.value)


def test_a_server_error_names_the_status(bridge_receiver: BridgeReceiver) -> None:
    bridge_receiver.status = 500
    with pytest.raises(BridgeClientError, match="HTTP 500"):
        BridgeClient(bridge_receiver.url).post_drift_run(sample_report())


def test_an_unreachable_bridge_is_a_clear_error() -> None:
    with socket.socket() as sock:  # a port nobody listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(BridgeClientError, match="cannot post the drift run"):
        BridgeClient(f"http://127.0.0.1:{port}", timeout=5).post_drift_run(sample_report())


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
