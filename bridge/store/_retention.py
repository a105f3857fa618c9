"""Retention: with an explicit `keep_versions` setting, drop a stack's oldest versions.

Off by default (0: every version is kept forever). The current version is never dropped.
Must not import the web framework.
"""

from __future__ import annotations

from typing import Any

from fedstack.bridge.store._audit import record
from fedstack.bridge.store._models import state_versions
from sqlalchemy import Connection, Row, delete

__all__ = ["prune_versions"]


def prune_versions(conn: Connection, row: Row[Any], newest: int, keep: int, *, who: str) -> int:
    """Delete versions older than the newest `keep` (inside the caller's transaction); returns how many."""
    if keep <= 0 or newest <= keep:
        return 0
    cutoff = newest - keep
    done = conn.execute(
        delete(state_versions).where(
            state_versions.c.stack_id == row.id,
            state_versions.c.version <= cutoff,
            state_versions.c.version != newest,
        )
    )
    if done.rowcount:
        record(
            conn,
            who,
            "prune",
            row.project,
            row.name,
            up_to_version=cutoff,
            removed=done.rowcount,
            keep=keep,
        )
    return int(done.rowcount or 0)
