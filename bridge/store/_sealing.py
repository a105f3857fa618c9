"""Seal and open state bodies with the process's key ring; check and rotate keys in the database.

A stored body is the received body packed (compressed, `fedstack.bridge._compression`), then
sealed when FEDSTACK_BRIDGE_KEY is set; `open_body` undoes both.

Must not import the web framework.
"""

from __future__ import annotations

from typing import Any

from cryptography.exceptions import InvalidTag
from fedstack.bridge._compression import Packed, pack, unpack
from fedstack.bridge._crypto import associated_data, keyring
from fedstack.bridge._errors import Unavailable
from fedstack.bridge.store._engine import write_transaction
from fedstack.bridge.store._models import state_versions
from sqlalchemy import Engine, Row, select

from fedstack.errors import ConfigError

__all__ = ["check_keys", "check_sealed_with_known_key", "open_body", "reseal_versions", "seal_body"]

_RESTART = (
    "restart the bridge with FEDSTACK_BRIDGE_KEY listing the new key first and the old keys after "
    "it (docs/running-the-bridge.md, key rotation)"
)


def seal_body(packed: Packed, stack_id: int, version: int) -> tuple[bytes, str | None]:
    """The body to store and its key id: sealed under the primary key, or as is without a key."""
    ring = keyring()
    if ring is None:
        return packed.data, None
    return ring.seal(packed.data, associated_data(stack_id, version))


def open_body(row: Row[Any]) -> bytes:
    """The plain body of a state_versions row; Unavailable (503) when it cannot be opened here."""
    packed = _unsealed(row)
    try:
        return unpack(packed, row.codec, row.size)
    except ValueError as exc:
        raise Unavailable(
            f"state version {row.version} does not open ({row.codec} body: {exc}): the stored "
            "body was changed outside the bridge; restore another version or from a backup"
        ) from None


def _unsealed(row: Row[Any]) -> bytes:
    """The packed body of a row: its seal opened, or as stored when it has none."""
    if row.key_id is None:
        return bytes(row.body)
    check_sealed_with_known_key(row.key_id, row.version)
    ring = keyring()
    assert ring is not None  # checked just above
    try:
        return ring.open(bytes(row.body), row.key_id, associated_data(row.stack_id, row.version))
    except InvalidTag:
        raise Unavailable(
            f"state version {row.version} does not open with key {row.key_id}: the stored body "
            "was changed or moved outside the bridge; restore another version or from a backup"
        ) from None


def check_sealed_with_known_key(key_id: str | None, version: int) -> None:
    """Unavailable (503) when a body is sealed with a key this process does not hold.

    That happens when `rotate-key` ran while this bridge was started with the old key only:
    the stored versions are fine, this process just cannot open them, nor may it seal new ones
    with a key the rotation is retiring.
    """
    if key_id is None:
        return
    ring = keyring()
    if ring is None:
        raise Unavailable(
            f"state version {version} is sealed (key {key_id}) but this bridge runs without "
            f"FEDSTACK_BRIDGE_KEY: {_RESTART}"
        )
    if not ring.knows(key_id):
        raise Unavailable(
            f"state version {version} is sealed with key {key_id}, which this bridge does not hold "
            f"(the key was rotated while it ran): {_RESTART}"
        )


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
                # The plaintext, its sha256 and the version number stay the same; only the seal
                # changes (and a body stored before the bridge compressed is packed now).
                packed = Packed(_unsealed(row), row.codec) if row.codec else pack(open_body(row))
                sealed, key_id = ring.seal(packed.data, associated_data(row.stack_id, row.version))
                conn.execute(
                    state_versions.update()
                    .where(state_versions.c.id == row.id)
                    .values(body=sealed, key_id=key_id, codec=packed.codec)
                )
        done += len(rows)
        if len(rows) < batch:
            return done
