"""The audit log: who (token id) did what (write, lock, unlock, force-unlock, restore, ...) when.

Writes go in the same transaction as the change they record. Must not import the web framework.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fedstack.bridge.store._models import audit
from fedstack.bridge.store._paging import Page, newest_first
from fedstack.bridge.store._periods import aware
from sqlalchemy import Connection, Engine, Row, select

__all__ = ["AuditEntry", "read_audit", "record", "record_event"]


@dataclass(frozen=True)
class AuditEntry:
    """One audit entry: who (a token id) did what to which stack, when, with what detail."""

    id: int
    at: datetime
    who: str
    action: str
    project: str
    stack: str
    detail: dict[str, Any]


def record(
    conn: Connection, who: str, action: str, project: str, stack: str, **detail: Any
) -> None:
    """Append one audit entry inside the caller's transaction."""
    conn.execute(
        _APPEND,
        {
            "at": datetime.now(UTC),
            "token_id": who,
            "action": action,
            "project": project,
            "stack": stack,
            "detail": json.dumps(detail, sort_keys=True, default=str),
        },
    )


_APPEND = audit.insert()


def record_event(
    engine: Engine, who: str, action: str, project: str, stack: str, **detail: Any
) -> None:
    """Append one audit entry on its own: a step a client did to a stack (`fedstack exit`)."""
    with engine.begin() as conn:
        record(conn, who, action, project, stack, **detail)


def read_audit(
    engine: Engine,
    *,
    projects: list[str] | None,
    project: str | None = None,
    stack: str | None = None,
    action: str | None = None,
    limit: int = 100,
    offset: int = 0,
    after: str | None = None,
) -> Page[AuditEntry]:
    """Audit entries, newest first, limited to `projects` (None: all)."""
    query = select(audit)
    if projects is not None:
        query = query.where(audit.c.project.in_(projects))
    for column, value in (
        (audit.c.project, project),
        (audit.c.stack, stack),
        (audit.c.action, action),
    ):
        if value is not None:
            query = query.where(column == value)
    page = newest_first(engine, query, audit.c.id, limit=limit, offset=offset, after=after)
    return page.map(_entry)


def _entry(row: Row[Any]) -> AuditEntry:
    return AuditEntry(
        id=row.id,
        at=aware(row.at),
        who=row.token_id,
        action=row.action,
        project=row.project,
        stack=row.stack,
        detail=json.loads(row.detail),
    )
