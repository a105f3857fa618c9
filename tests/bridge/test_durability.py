"""Durability: restart and kill -9 of a bridge lose no state version, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from bridge_helpers import (
    BridgeProcess,
    bearer,
    lock_info,
    make_tokens,
    new_lineage,
    state_body,
    wait_until,
)

KINDS = ["sqlite", "postgresql"]


@pytest.mark.parametrize("kind", KINDS)
def test_restart_keeps_every_state_version_and_lock(
    kind: str, new_database: Callable[[str], str], tmp_path: Path
) -> None:
    db_url = new_database(kind)
    tokens = make_tokens(db_url, "restart")
    first = BridgeProcess(db_url, tmp_path / "bridge.log").start()
    written: dict[tuple[str, int], bytes] = {}
    try:
        for stack in ("net", "app", "dns"):
            lineage = new_lineage()
            for serial in range(1, 5):
                body = state_body(serial, lineage, pad=serial * 100)
                httpx.post(
                    f"{first.url}/v1/states/restart/{stack}",
                    content=body,
                    headers=bearer(tokens.write),
                ).raise_for_status()
                written[(stack, serial)] = body
        held = lock_info("still-running")
        httpx.request(
            "LOCK",
            f"{first.url}/v1/states/restart/app/lock",
            json=held,
            headers=bearer(tokens.write),
        ).raise_for_status()
    finally:
        first.stop()
    second = BridgeProcess(db_url, tmp_path / "bridge.log").start()
    try:
        for (stack, serial), body in written.items():
            stored = httpx.get(
                f"{second.url}/v1/states/restart/{stack}/versions/{serial}",
                headers=bearer(tokens.read),
            )
            assert stored.content == body
        for stack in ("net", "app", "dns"):
            assert (
                httpx.get(
                    f"{second.url}/v1/states/restart/{stack}", headers=bearer(tokens.read)
                ).content
                == written[(stack, 4)]
            )
        assert (
            httpx.get(
                f"{second.url}/v1/states/restart/app/lock", headers=bearer(tokens.read)
            ).json()
            == held
        )
    finally:
        second.stop()


class _Writer(threading.Thread):
    """Writes serial 1, 2, ... to one stack until the bridge goes away; remembers what was acknowledged."""

    def __init__(self, url: str, token: str, *, limit: int, deadline: float) -> None:
        super().__init__(daemon=True)
        self.url, self.token, self.limit, self.deadline = url, token, limit, deadline
        self.lineage = new_lineage()
        self.acknowledged: dict[int, str] = {}
        self.in_flight: dict[int, str] = {}

    def run(self) -> None:
        with httpx.Client(headers=bearer(self.token), timeout=10) as client:
            for serial in range(1, self.limit + 1):
                if time.monotonic() > self.deadline:
                    return
                body = state_body(serial, self.lineage, pad=32 * 1024 + serial)
                self.in_flight = {serial: hashlib.sha256(body).hexdigest()}
                try:
                    response = client.post(self.url, content=body)
                except httpx.HTTPError:
                    return  # the bridge died under us
                if response.status_code != 200:
                    return
                self.acknowledged.update(self.in_flight)


@pytest.mark.parametrize("kind", KINDS)
def test_kill_9_during_writes_loses_no_acknowledged_version(
    kind: str, new_database: Callable[[str], str], tmp_path: Path
) -> None:
    db_url = new_database(kind)
    tokens = make_tokens(db_url, "crash")
    bridge = BridgeProcess(db_url, tmp_path / "bridge.log").start()
    deadline = time.monotonic() + 60
    writers = [
        _Writer(
            f"{bridge.url}/v1/states/crash/{stack}", tokens.write, limit=2000, deadline=deadline
        )
        for stack in ("one", "two")
    ]
    for writer in writers:
        writer.start()
    try:
        start = time.monotonic()
        while min(len(w.acknowledged) for w in writers) < 25:
            assert time.monotonic() - start < 45, (
                "the writers did not get 25 writes each acknowledged"
            )
            assert all(w.is_alive() for w in writers), "a writer stopped before the kill"
            time.sleep(0.01)
        bridge.kill9()
    finally:
        for writer in writers:
            writer.join(timeout=30)
        bridge.stop()

    again = BridgeProcess(db_url, tmp_path / "bridge.log").start()
    try:
        for writer, stack in zip(writers, ("one", "two"), strict=True):
            base = f"{again.url}/v1/states/crash/{stack}"
            listed = httpx.get(base + "/versions", headers=bearer(tokens.read)).json()["versions"]
            assert [v["version"] for v in listed] == list(range(1, len(listed) + 1))
            assert [v["serial"] for v in listed] == list(range(1, len(listed) + 1))
            # Every acknowledged write is there; the one in flight at the kill may or may not be.
            assert len(writer.acknowledged) <= len(listed) <= len(writer.acknowledged) + 1
            expected = {
                **writer.acknowledged,
                **(writer.in_flight if len(listed) > len(writer.acknowledged) else {}),
            }
            with httpx.Client(headers=bearer(tokens.read)) as client:
                bodies = {
                    v["version"]: client.get(f"{base}/versions/{v['version']}").content
                    for v in listed
                }
            for version in listed:
                body = bodies[version["version"]]
                assert (
                    hashlib.sha256(body).hexdigest()
                    == version["sha256"]
                    == expected[version["serial"]]
                )
                assert json.loads(body)["serial"] == version["serial"]  # not torn
            # The stack keeps working after the crash.
            follow_up = state_body(len(listed) + 1, writer.lineage)
            assert (
                httpx.post(base, content=follow_up, headers=bearer(tokens.write)).status_code == 200
            )
    finally:
        again.stop()


def _bucket(name: str) -> dict[str, object]:
    return {
        "mode": "managed",
        "type": "aws_s3_bucket",
        "name": name,
        "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
        "instances": [{"schema_version": 0, "attributes": {"id": name, "region": "eu-west-3"}}],
    }


@pytest.mark.parametrize("kind", KINDS)
def test_kill_9_between_acknowledgement_and_indexing_loses_nothing(
    kind: str, new_database: Callable[[str], str], tmp_path: Path
) -> None:
    """The first bridge's indexer waits 60 s before each stack (FEDSTACK_TEST_INDEX_DELAY, a test
    hook), so the kill lands after the write was acknowledged and before its inventory was built;
    the restarted bridge (no delay) indexes it at start."""
    db_url = new_database(kind)
    tokens = make_tokens(db_url, "acked")
    log = tmp_path / "bridge.log"
    slow = BridgeProcess(db_url, log, env={"FEDSTACK_TEST_INDEX_DELAY": "60"}).start()
    body = state_body(1, new_lineage(), [_bucket(f"b{i}") for i in range(40)])
    url = f"{slow.url}/v1/states/acked/app"
    try:
        answer = httpx.post(url, content=body, headers=bearer(tokens.write))
        assert answer.status_code == 200, answer.text
        assert answer.json()["indexed"] is False
        before = httpx.get(
            f"{slow.url}/v1/inventory", params={"project": "acked"}, headers=bearer(tokens.read)
        ).json()
        assert before["total"] == 0 and before["up_to_date"] is False
        assert before["trailing"] == [
            {"project": "acked", "stack": "app", "current_version": 1, "indexed_through": None}
        ]
    finally:
        slow.kill9()
    restarted = BridgeProcess(db_url, log).start()
    try:
        assert (
            httpx.get(f"{restarted.url}/v1/states/acked/app", headers=bearer(tokens.read)).content
            == body
        )

        def caught_up() -> bool:
            page = httpx.get(
                f"{restarted.url}/v1/inventory",
                params={"project": "acked", "limit": 1000},
                headers=bearer(tokens.read),
            ).json()
            return bool(page["up_to_date"]) and page["total"] == 40

        wait_until(caught_up, timeout=30, what="the restarted bridge to index the acked state")
        stacks = httpx.get(f"{restarted.url}/v1/stacks", headers=bearer(tokens.read)).json()
        mine = [s for s in stacks["stacks"] if s["project"] == "acked"]
        assert [(s["indexed_through"], s["index_trails"]) for s in mine] == [(1, False)]
    finally:
        restarted.stop()
