"""The stack row every writer holds for the length of its transaction (and how long it waited).

Must not import the web framework.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from fedstack.bridge._errors import NotFound
from fedstack.bridge.store._engine import is_sqlite
from fedstack.bridge.store._models import stacks
from sqlalchemy import Connection, Row, bindparam, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

__all__ = ["lock_stack_row", "on_row_wait", "stack_row"]

_observers: list[Callable[[float], None]] = []


def on_row_wait(observer: Callable[[float], None]) -> None:
    """Register a callback told how many seconds each writer waited for its stack row (/metrics)."""
    _observers.append(observer)


# Built once: constructing a statement costs a write more than running it on SQLite.
_HELD = (
    select(stacks)
    .where(stacks.c.project == bindparam("project"), stacks.c.name == bindparam("stack"))
    .with_for_update()
)


def lock_stack_row(conn: Connection, project: str, stack: str) -> Row[Any]:
    """The stack's row, created when missing, held until the caller's transaction ends."""
    started = time.perf_counter()
    names = {"project": project, "stack": stack}
    row = conn.execute(_HELD, names).first()
    if row is None:  # a new stack (or one another writer is creating: the insert waits for it)
        now = datetime.now(UTC)
        insert = (sqlite_insert if is_sqlite(conn) else pg_insert)(stacks).values(
            project=project,
            name=stack,
            created_at=now,
            updated_at=now,
            last_version=0,
            encrypted=False,
        )
        conn.execute(insert.on_conflict_do_nothing(index_elements=["project", "name"]))
        row = conn.execute(_HELD, names).one()
    waited = time.perf_counter() - started
    for observer in _observers:
        observer(waited)
    return row


def stack_row(conn: Connection, project: str, stack: str) -> Row[Any]:
    """The stack's row; NotFound when the bridge never saw the stack."""
    row = conn.execute(
        select(stacks).where(stacks.c.project == project, stacks.c.name == stack)
    ).first()
    if row is None:
        raise NotFound(f"unknown stack {project}/{stack}")
    return row
