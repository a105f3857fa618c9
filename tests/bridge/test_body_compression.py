"""State bodies are stored compressed by the bridge (zstd, under the seal) and read back exactly."""

from __future__ import annotations

import base64
import json
import os
from typing import Any

import pytest
from fedstack.bridge._compression import Packed, pack, unpack
from fedstack.bridge._crypto import generate_key, keyring
from fedstack.bridge._errors import Unavailable
from fedstack.bridge._statefile import parse_state, receive_state
from fedstack.bridge.store import (
    read_current,
    reseal_versions,
    write_state,
)
from fedstack.bridge.store._models import state_versions
from sqlalchemy import Engine, select, text


def test_a_state_is_stored_compressed_and_read_back_byte_for_byte(engine: Engine) -> None:
    body = _state_like_body(1 << 20)
    write_state(engine, "p", "s", receive_state(body), lock_id=None, who="t")
    codec, stored = _stored(engine)
    assert codec == "zstd" and stored < len(body) / 3
    current = read_current(engine, "p", "s")
    assert current is not None and current.body == body
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            storage, method = conn.execute(
                text(
                    "SELECT a.attstorage, pg_column_compression(v.body) FROM pg_attribute a, "
                    "state_versions v WHERE a.attrelid = 'state_versions'::regclass "
                    "AND a.attname = 'body'"
                )
            ).one()
        # Not compressed a second time by the server (what 0011's lz4 read back slowly).
        assert (storage, method) == ("e", None)


def test_an_opentofu_encrypted_state_reads_back_exactly(engine: Engine) -> None:
    payload = base64.b64encode(os.urandom(300_000)).decode()  # ciphertext, in base64
    body = json.dumps(
        {
            "meta": {"key_provider.pbkdf2.k": "e30="},
            "encrypted_data": payload,
            "encryption_version": "v0",
        }
    ).encode()
    write_state(engine, "p", "s", receive_state(body), lock_id=None, who="t")
    current = read_current(engine, "p", "s")
    assert current is not None and current.body == body


def test_a_body_that_does_not_shrink_is_kept_as_it_came() -> None:
    noise = os.urandom(100_000)
    assert pack(noise) == Packed(noise, None)
    assert unpack(noise, None, len(noise)) == noise
    packed = pack(b"{}" * 50_000)
    assert packed.codec == "zstd" and unpack(packed.data, packed.codec, 100_000) == b"{}" * 50_000
    with pytest.raises(ValueError, match="not the 99999 recorded"):
        unpack(packed.data, packed.codec, 99_999)  # refused before anything is allocated


def test_a_compressed_body_changed_behind_the_bridge_is_a_clear_503(engine: Engine) -> None:
    write_state(engine, "p", "s", receive_state(_state_like_body(50_000)), lock_id=None, who="t")
    with engine.begin() as conn:
        (body,) = conn.execute(select(state_versions.c.body)).one()
        conn.execute(state_versions.update().values(body=bytes(body[:-40])))
    with pytest.raises(Unavailable, match="version 1 does not open .zstd body"):
        read_current(engine, "p", "s")


def test_rotate_key_packs_bodies_stored_before_compression_and_seals_them(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = _state_like_body(200_000)
    write_state(engine, "p", "s", parse_state(body), lock_id=None, who="t")
    with engine.begin() as conn:  # a row as every row before migration 0012 was
        conn.execute(state_versions.update().values(body=body, codec=None))
    monkeypatch.setenv("FEDSTACK_BRIDGE_KEY", generate_key())
    keyring.cache_clear()
    try:
        assert read_current(engine, "p", "s").body == body  # type: ignore[union-attr]
        assert reseal_versions(engine) == 1
        codec, stored = _stored(engine)
        assert codec == "zstd" and stored < len(body) / 3
        assert read_current(engine, "p", "s").body == body  # type: ignore[union-attr]
    finally:
        monkeypatch.delenv("FEDSTACK_BRIDGE_KEY")
        keyring.cache_clear()


def _stored(engine: Engine) -> tuple[str | None, int]:
    with engine.connect() as conn:
        codec, body = conn.execute(select(state_versions.c.codec, state_versions.c.body)).one()
    return codec, len(body)


def _state_like_body(size: int) -> bytes:
    resources: list[dict[str, Any]] = []
    length = 0  # of the resources' JSON, counted as they are added (re-encoding is quadratic)
    while length < size:
        n = len(resources)
        resources.append(
            {
                "mode": "managed",
                "type": "aws_s3_bucket",
                "name": f"bucket_{n}",
                "instances": [
                    {"attributes": {"id": f"bucket-{n:06d}", "tags": {"team": f"t{n % 9}"}}}
                ],
            }
        )
        length += len(json.dumps(resources[-1])) + 2
    return json.dumps(
        {"version": 4, "serial": 1, "lineage": "l-1", "resources": resources, "outputs": {}}
    ).encode()
