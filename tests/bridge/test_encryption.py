"""Encryption at rest: bodies sealed with AES-256-GCM under FEDSTACK_BRIDGE_KEY, and key rotation."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from bridge_helpers import BridgeProcess, bearer, make_tokens, new_lineage, state_body
from fedstack.bridge import BridgeSettings, create_app
from fedstack.bridge._crypto import generate_key, keyring
from fedstack.bridge.store import open_engine, write_transaction
from fedstack.bridge.store._models import state_versions
from sqlalchemy import select

from fedstack.errors import ConfigError

MARKER = "plain-text-marker-0451"


@contextmanager
def _key(value: str | None) -> Iterator[None]:
    keyring.cache_clear()  # this process reads the key again too
    saved = os.environ.get("FEDSTACK_BRIDGE_KEY")
    if value is None:
        os.environ.pop("FEDSTACK_BRIDGE_KEY", None)
    else:
        os.environ["FEDSTACK_BRIDGE_KEY"] = value
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("FEDSTACK_BRIDGE_KEY", None)
        else:
            os.environ["FEDSTACK_BRIDGE_KEY"] = saved
        keyring.cache_clear()


def _stored_rows(db_url: str) -> list[tuple[bytes, str | None]]:
    engine = open_engine(db_url)
    with engine.connect() as conn:
        rows = [
            (bytes(b), k)
            for b, k in conn.execute(select(state_versions.c.body, state_versions.c.key_id))
        ]
    engine.dispose()
    return rows


def _rotate(db_url: str) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-c",
        "from fedstack.cli import main; main()",
        "bridge",
        "rotate-key",
        "--db",
        db_url,
    ]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=120, check=False, env=os.environ.copy()
    )


def test_sealed_bodies_are_unreadable_at_rest_and_survive_key_rotation(
    new_database: Callable[[str], str], tmp_path: Path
) -> None:
    db_url = new_database("sqlite")
    tokens = make_tokens(db_url, "sealed")
    old_key, new_key = generate_key(), generate_key()
    body = state_body(
        1, new_lineage(), [{"mode": "managed", "type": "t", "name": MARKER, "instances": []}]
    )
    url = "/v1/states/sealed/app"
    with _key(old_key):
        bridge = BridgeProcess(db_url, tmp_path / "bridge.log").start()
        try:
            httpx.post(
                bridge.url + url, content=body, headers=bearer(tokens.write)
            ).raise_for_status()
            assert httpx.get(bridge.url + url, headers=bearer(tokens.read)).content == body
        finally:
            bridge.stop()
    ((sealed, old_id),) = _stored_rows(db_url)
    assert MARKER.encode() not in sealed and old_id is not None

    with _key(None), pytest.raises(ConfigError, match="does not hold"):
        create_app(BridgeSettings(db_url=db_url))  # without the key the bridge refuses to start

    with _key(f"{new_key},{old_key}"):
        rotated = _rotate(db_url)
        assert rotated.returncode == 0, rotated.stderr
        assert "re-sealed 1 state version" in rotated.stdout
    ((resealed, new_id),) = _stored_rows(db_url)
    assert new_id != old_id and MARKER.encode() not in resealed

    with _key(new_key):  # the old key is gone for good
        bridge = BridgeProcess(db_url, tmp_path / "bridge.log").start()
        try:
            assert httpx.get(bridge.url + url, headers=bearer(tokens.read)).content == body
            assert (
                httpx.get(bridge.url + url + "/versions/1", headers=bearer(tokens.read)).content
                == body
            )
        finally:
            bridge.stop()


def test_a_malformed_key_is_refused_with_one_line(new_database: Callable[[str], str]) -> None:
    with _key("not-base64!"):
        done = _rotate(new_database("sqlite"))
    assert done.returncode == 1
    assert (
        done.stderr.strip()
        == "fedstack: error: FEDSTACK_BRIDGE_KEY: key 1 is not base64 (make one with `fedstack bridge keygen`)"
    )


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_rotation_while_a_bridge_runs_answers_a_clear_503_never_a_500(
    kind: str, new_database: Callable[[str], str], tmp_path: Path
) -> None:
    """The documented rotation run beside a bridge still on the old key, then a tampered body."""
    db_url = new_database(kind)
    tokens = make_tokens(db_url, "rotating")
    old_key, new_key = generate_key(), generate_key()
    url = "/v1/states/rotating/app"
    lineage = new_lineage()
    with _key(old_key):
        bridge = BridgeProcess(db_url, tmp_path / "bridge.log").start()
    try:
        write = bearer(tokens.write) | {"Content-Type": "application/json"}
        httpx.post(bridge.url + url, content=state_body(1, lineage), headers=write)
        with _key(f"{new_key},{old_key}"):
            rotated = _rotate(db_url)
        assert rotated.returncode == 0, rotated.stderr
        vacuum = "VACUUM FULL state_versions" if kind == "postgresql" else "'VACUUM'"
        assert vacuum in rotated.stdout  # the old bodies live on until then
        for answer in (
            httpx.get(bridge.url + url, headers=bearer(tokens.read)),
            httpx.get(bridge.url + url + "/versions/1", headers=bearer(tokens.read)),
            httpx.post(bridge.url + url, content=state_body(2, lineage), headers=write),
        ):
            assert answer.status_code == 503, answer.text
            assert "rotated while it ran" in answer.json()["error"]
    finally:
        bridge.stop()

    with _key(f"{new_key},{old_key}"):  # the procedure: restart with new key first, old after
        bridge = BridgeProcess(db_url, tmp_path / "bridge.log").start()
    try:
        assert httpx.get(bridge.url + url, headers=bearer(tokens.read)).content == state_body(
            1, lineage
        )
        stored = httpx.post(bridge.url + url, content=state_body(2, lineage), headers=write)
        assert stored.status_code == 200, stored.text
        engine = open_engine(db_url)
        # Flip one byte of the sealed body behind the bridge's back, holding the write lock from
        # the start (the bridge's indexer may be writing this stack's inventory meanwhile).
        with write_transaction(engine) as conn:
            (body,) = conn.execute(
                select(state_versions.c.body).where(state_versions.c.version == 2)
            ).one()
            tampered = bytes(body[:-1]) + bytes([body[-1] ^ 1])
            conn.execute(
                state_versions.update().where(state_versions.c.version == 2).values(body=tampered)
            )
        engine.dispose()
        broken = httpx.get(bridge.url + url, headers=bearer(tokens.read))
        assert broken.status_code == 503
        assert "does not open" in broken.json()["error"]
        assert httpx.get(bridge.url + url + "/versions/1", headers=bearer(tokens.read)).content
    finally:
        bridge.stop()
