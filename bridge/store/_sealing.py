"""Seal and open state bodies with the process's key ring; check and rotate keys in the database.

Must not import the web framework.
"""

from __future__ import annotations

from typing import Any

from fedstack.bridge._crypto import associated_data, keyring
from fedstack.bridge.store._engine import write_transaction
from fedstack.bridge.store._models import state_versions
from sqlalchemy import Engine, Row, select

from fedstack.errors import ConfigError

__all__ = ["check_keys", "open_body", "reseal_versions", "seal_body"]


def seal_body(body: bytes, stack_id: int, version: int) -> tuple[bytes, str | None]:
    """The body to store and its key id: sealed under the primary key, or as is without a key."""
    ring = keyring()
    if ring is None:
        return body, None
    return ring.seal(body, associated_data(stack_id, version))


def open_body(row: Row[Any]) -> bytes:
    """The plain body of a state_versions row."""
    if row.key_id is None:
        return bytes(row.body)
    ring = keyring()
    if ring is None:
        raise ConfigError(
            f"state versions are sealed (key {row.key_id}) but FEDSTACK_BRIDGE_KEY is not set"
        )
    return ring.open(bytes(row.body), row.key_id, associated_data(row.stack_id, row.version))


def check_keys(engine: Engine) -> None:
    """Refuse to start when stored versions are sealed with keys FEDSTACK_BRIDGE_KEY lacks."""
    with engine.connect() as conn:
        used = [
            k for (k,) in conn.execute(select(state_versions.c.key_id).distinct()) if k is not None
        ]
    ring = keyring()
    missing = [k for k in used if ring is None or not ring.knows(k)]
    if missing:
        raise ConfigError(
            f"state versions are sealed with key(s) {', '.join(sorted(missing))} that FEDSTACK_BRIDGE_KEY "
            "does not hold; set it to the key(s) used before (new key first when rotating)"
        )


def reseal_versions(engine: Engine, batch: int = 50) -> int:
    """Seal every version not yet under the primary key (plain ones included); returns how many."""
    ring = keyring()
    if ring is None:
        raise ConfigError(
            "FEDSTACK_BRIDGE_KEY is not set: nothing to seal with (make a key with `fedstack bridge keygen`)"
        )
    check_keys(engine)
    done = 0
    stale = (state_versions.c.key_id.is_(None)) | (state_versions.c.key_id != ring.primary_id)
    while True:
        with write_transaction(engine) as conn:
            rows = conn.execute(select(state_versions).where(stale).limit(batch)).all()
            for row in rows:
                # The plaintext, its sha256 and the version number stay the same; only the seal changes.
                sealed, key_id = ring.seal(
                    open_body(row), associated_data(row.stack_id, row.version)
                )
                conn.execute(
                    state_versions.update()
                    .where(state_versions.c.id == row.id)
                    .values(body=sealed, key_id=key_id)
                )
        done += len(rows)
        if len(rows) < batch:
            return done
