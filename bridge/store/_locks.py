"""State locks: one row per stack, taken with an INSERT so that it holds across bridge replicas.

Must not import the web framework.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fedstack.bridge._errors import BadRequest, Conflict, LockConflict, NotLockHolder
from fedstack.bridge.store._audit import record
from fedstack.bridge.store._engine import connected, write_transaction
from fedstack.bridge.store._models import locks
from sqlalchemy import Connection, Engine, bindparam, delete, select
from sqlalchemy.exc import IntegrityError

__all__ = [
    "LockHolder",
    "acquire",
    "check_holder",
    "current_lock",
    "force_release",
    "holder",
    "parse_lock_info",
    "release",
]


@dataclass(frozen=True)
class LockHolder:
    """The lock on one stack: its ID and the LockInfo JSON its holder sent."""

    lock_id: str
    info: dict[str, Any]
    token_id: str
    created_at: datetime


def parse_lock_info(body: bytes) -> dict[str, Any]:
    """Terraform's LockInfo JSON; BadRequest unless it is an object with a string `ID`."""
    try:
        info = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("the lock body is not JSON; send Terraform's LockInfo") from None
    if not isinstance(info, dict) or not isinstance(info.get("ID"), str) or not info["ID"]:
        raise BadRequest(
            "the lock body must be a LockInfo JSON object with a non-empty string 'ID'"
        )
    if len(info["ID"]) > 256 or not info["ID"].isprintable():
        raise BadRequest("the lock ID must be printable and at most 256 characters")
    return info


_HOLDER = select(locks).where(
    locks.c.project == bindparam("project"), locks.c.stack == bindparam("stack")
)


def current_lock(conn: Connection, project: str, stack: str) -> LockHolder | None:
    """The lock on a stack inside the caller's transaction, or None."""
    row = conn.execute(_HOLDER, {"project": project, "stack": stack}).first()
    if row is None:
        return None
    return LockHolder(row.lock_id, json.loads(row.info), row.token_id, row.created_at)


def check_holder(current: LockHolder, project: str, stack: str, who: str, act: str) -> None:
    """NotLockHolder unless token `who` took the lock: the lock ID alone proves nothing.

    The ID is in every 423 body and in `GET .../lock`, which any reader may call.
    """
    if current.token_id != who:
        raise NotLockHolder(
            f"{project}/{stack} is locked by token {current.token_id}, not {who}: only the token "
            f"that took the lock may {act} under it; an admin can force-unlock",
            current.info,
        )


def holder(bind: Engine | Connection, project: str, stack: str) -> LockHolder | None:
    """Who holds the lock on a stack, or None; `bind` may be the token check's connection."""
    with connected(bind) as conn:
        return current_lock(conn, project, stack)


def acquire(engine: Engine, project: str, stack: str, info: dict[str, Any], who: str) -> None:
    """Take the lock for `info["ID"]`; LockConflict (423, holder's LockInfo) when someone has it."""
    for _ in range(3):  # the holder may let go between our INSERT and our SELECT
        try:
            with write_transaction(engine) as conn:
                conn.execute(
                    locks.insert().values(
                        project=project,
                        stack=stack,
                        lock_id=info["ID"],
                        info=json.dumps(info),
                        created_at=datetime.now(UTC),
                        token_id=who,
                    )
                )
                record(
                    conn,
                    who,
                    "lock",
                    project,
                    stack,
                    lock_id=info["ID"],
                    operation=info.get("Operation"),
                )
            return
        except IntegrityError:
            pass
        current = holder(engine, project, stack)
        if current is None:
            continue
        if current.lock_id == info["ID"] and current.token_id == who:
            return  # the same lock asked for twice (a client retry): already held
        raise LockConflict(
            f"{project}/{stack} is locked by {current.info.get('Who', 'someone')} (lock {current.lock_id})",
            current.info,
        )
    raise Conflict(f"{project}/{stack}: the lock changed hands repeatedly; try again")


def release(engine: Engine, project: str, stack: str, lock_id: str, who: str) -> bool:
    """Release the lock `lock_id`; LockConflict when another lock is held; False when unlocked."""
    with write_transaction(engine) as conn:
        current = current_lock(conn, project, stack)
        if current is None:
            return False
        if current.lock_id != lock_id:
            raise LockConflict(
                f"{project}/{stack} is locked with ID {current.lock_id}, not {lock_id}",
                current.info,
            )
        check_holder(current, project, stack, who, "release")
        conn.execute(delete(locks).where(locks.c.project == project, locks.c.stack == stack))
        record(conn, who, "unlock", project, stack, lock_id=lock_id, holder_token=who)
    return True


def force_release(engine: Engine, project: str, stack: str, lock_id: str | None, who: str) -> bool:
    """Break the lock (admin): any lock, or only `lock_id` when given. False when none was held."""
    with write_transaction(engine) as conn:
        current = current_lock(conn, project, stack)
        if current is None:
            return False
        if lock_id is not None and current.lock_id != lock_id:
            raise LockConflict(
                f"{project}/{stack} is locked with ID {current.lock_id}, not {lock_id}",
                current.info,
            )
        conn.execute(delete(locks).where(locks.c.project == project, locks.c.stack == stack))
        record(
            conn,
            who,
            "force-unlock",
            project,
            stack,
            lock_id=current.lock_id,
            holder=current.info.get("Who"),
            holder_token=current.token_id,
        )
    return True
