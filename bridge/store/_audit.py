"""The audit log: who (token id) did what (write, lock, unlock, force-unlock, restore, ...) when.

Writes go in the same transaction as the change they record. Must not import the web framework.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from fedstack.bridge.store._models import audit
from sqlalchemy import Connection, Engine, func, select

__all__ = ["read_audit", "record", "record_event"]


def record(
    conn: Connection, who: str, action: str, project: str, stack: str, **detail: Any
) -> None:
    """Append one audit entry inside the caller's transaction."""
    conn.execute(
        audit.insert().values(
            at=datetime.now(UTC),
            token_id=who,
            action=action,
            project=project,
            stack=stack,
            detail=json.dumps(detail, sort_keys=True, default=str),
        )
    )


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
) -> tuple[int, list[dict[str, Any]]]:
    """Audit entries, newest first, limited to `projects` (None: all); returns (total, page)."""
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
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        rows = conn.execute(query.order_by(audit.c.id.desc()).limit(limit).offset(offset)).all()
    return total, [
        {
            "id": r.id,
            "at": r.at,
            "who": r.token_id,
            "action": r.action,
            "project": r.project,
            "stack": r.stack,
            "detail": json.loads(r.detail),
        }
        for r in rows
    ]
