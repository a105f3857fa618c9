"""`POST /v1/stacks/<project>/<stack>/events`: the steps of `fedstack exit` in the audit log."""

from __future__ import annotations

import httpx
import pytest

from fedstack.client import BridgeClient, BridgeClientError
from fedstack.exit import ExitRun, StepRecord, bridge_recorder

from bridge_helpers import BridgeProcess, bearer, make_tokens, unique


def test_exit_steps_land_in_the_audit_log_under_each_stack(sqlite_bridge: BridgeProcess) -> None:
    tokens = make_tokens(sqlite_bridge.db_url, unique("exit"))
    run = ExitRun("sandbox-fr", {"project": tokens.project})
    run.old_stacks, run.new_stacks = ["shop-sandbox-fr-fr-par", "dns"], ["shop-de", "dns"]
    with BridgeClient(sqlite_bridge.url, tokens.write) as client:
        bridge_recorder(client)(run, "copy", StepRecord(1.5, "copied 8 object(s)"))
    with BridgeClient(sqlite_bridge.url, tokens.admin) as admin:
        entries = admin.audit(project=tokens.project, action="exit:copy")["entries"]
    assert sorted(e["stack"] for e in entries) == ["dns", "shop-de", "shop-sandbox-fr-fr-par"]
    assert all(e["detail"] == {"seconds": 1.5, "detail": "copied 8 object(s)"} for e in entries)
    assert all(e["who"] not in ("", "anonymous") for e in entries)


def test_event_needs_write_scope_and_a_known_action(sqlite_bridge: BridgeProcess) -> None:
    tokens = make_tokens(sqlite_bridge.db_url, unique("exit"))
    with BridgeClient(sqlite_bridge.url, tokens.read) as reader:
        with pytest.raises(BridgeClientError, match="403|scope"):
            reader.record_step(tokens.project, "s", "exit:copy", 1.0, "x")
    bad = httpx.post(
        f"{sqlite_bridge.url}/v1/stacks/{tokens.project}/s/events",
        json={"action": "drop table", "seconds": 1, "detail": "x"},
        headers=bearer(tokens.write),
    )
    assert bad.status_code == 400
