"""History periods: the stretches of time one item was seen drifting, failing a rule or unmanaged.

A period opens the first time a check sees an item, its `last_seen_at` (and `last_run`) follow
later checks that see it again, and it closes at the first later check that covered the item
and no longer saw it; seen again after that, the item opens a new period. Drift periods, policy
findings and unmanaged findings are three tables of this one shape (a `PeriodTable` names their
columns); this module is the one place that opens, extends, closes and reads them. What a check
covered is the caller's to say. Must not import the web framework.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fedstack.bridge.store._engine import is_sqlite
from fedstack.bridge.store._paging import Page, newest_first
from sqlalchemy import Connection, Engine, Row, Select, Table, bindparam, select, text

__all__ = [
    "PeriodTable",
    "api_time",
    "aware",
    "close_periods",
    "lock_history",
    "open_periods",
    "period_page",
    "record_seen",
]

# Keep IN lists well below every database's parameter limit.
_CHUNK = 500


@dataclass(frozen=True)
class PeriodTable:
    """Which columns of a history table say what: the item's key, what is kept, how it closes.

    Every such table has `id`, `project`, `first_seen_at`, `last_seen_at` and `closed`; with
    `runs` also `first_run`, `last_run` and the run that closed it (`closed` ending in `_run`).
    """

    table: Table
    key: tuple[str, ...]
    """The columns naming one item within a project, such as ("stack", "address")."""
    closed: str
    """The column set when the period closes (NULL while open): resolved_at, gone_at."""
    runs: bool
    kept: tuple[str, ...] = ()
    """Columns written when the period opens and never changed by a later sighting."""

    @property
    def closed_run(self) -> str:
        """The column naming the run that closed the period (tables with `runs` only)."""
        return self.closed.removesuffix("_at") + "_run"


def lock_history(conn: Connection, namespace: int, project: str) -> None:
    """Serialise history updates of one project across PostgreSQL replicas (SQLite has one writer)."""
    if is_sqlite(conn):
        return
    key = zlib.crc32(project.encode())
    conn.execute(
        text("SELECT pg_advisory_xact_lock(:namespace, :project)"),
        {"namespace": namespace, "project": key - (1 << 32) if key >= 1 << 31 else key},
    )


def open_periods(
    conn: Connection, periods: PeriodTable, project: str, *, stacks: Sequence[str] | None = None
) -> dict[tuple[Any, ...], Row[Any]]:
    """The project's open periods (of `stacks` only, when given), by item key."""
    table = periods.table
    query = select(table).where(table.c.project == project, table.c[periods.closed].is_(None))
    if stacks is None:
        rows = conn.execute(query).all()
    else:
        names = sorted(set(stacks))
        rows = [
            row
            for start in range(0, len(names), _CHUNK)
            for row in conn.execute(
                query.where(table.c.stack.in_(names[start : start + _CHUNK]))
            ).all()
        ]
    return {tuple(getattr(row, column) for column in periods.key): row for row in rows}


def record_seen(
    conn: Connection,
    periods: PeriodTable,
    project: str,
    open_rows: Mapping[tuple[Any, ...], Row[Any]],
    seen: Mapping[tuple[Any, ...], Mapping[str, Any]],
    *,
    now: dt.datetime,
    run: int | None = None,
) -> list[tuple[Any, ...]]:
    """Extend the open period of every item seen now, open one for the others; returns those.

    `seen` maps each item's key to its other columns. Batched (one statement per kind of
    change), so a check of thousands of items stays a handful of round trips.
    """
    table = periods.table
    runs = {"last_run": run} if periods.runs else {}
    extended: list[dict[str, Any]] = []
    opened: list[dict[str, Any]] = []
    for key, values in seen.items():
        current = open_rows.get(key)
        if current is not None:
            changing = {k: v for k, v in values.items() if k not in periods.kept}
            extended.append({"period_id": current.id, **changing})
            continue
        opened.append(
            {
                "project": project,
                **dict(zip(periods.key, key, strict=True)),
                **values,
                "first_seen_at": now,
                "last_seen_at": now,
                **({"first_run": run} if periods.runs else {}),
                **runs,
            }
        )
    if extended:
        columns = [k for k in extended[0] if k != "period_id"]
        conn.execute(
            table.update()
            .where(table.c.id == bindparam("period_id"))
            .values(last_seen_at=now, **runs, **{c: bindparam(c) for c in columns}),
            extended,
        )
    if opened:
        conn.execute(table.insert(), opened)
    return [key for key in seen if key not in open_rows]


def close_periods(
    conn: Connection,
    periods: PeriodTable,
    rows: Sequence[Row[Any]],
    *,
    now: dt.datetime,
    run: int | None = None,
) -> None:
    """Close the periods of `rows` now (by `run`, for tables that record runs)."""
    table = periods.table
    values: dict[str, Any] = {periods.closed: now}
    if periods.runs:
        values[periods.closed_run] = run
    ids = [row.id for row in rows]
    for start in range(0, len(ids), _CHUNK):
        conn.execute(
            table.update().where(table.c.id.in_(ids[start : start + _CHUNK])).values(**values)
        )


def period_page(
    engine: Engine,
    periods: PeriodTable,
    projects: list[str] | None,
    *,
    is_open: bool | None,
    filters: Mapping[str, str | None],
    limit: int,
    offset: int = 0,
    after: str | None = None,
) -> Page[Row[Any]]:
    """Periods of `projects` (None: all), newest first; `is_open` None for both kinds.

    `filters` maps a column to the value it must equal (None: any).
    """
    table = periods.table
    query: Select[Any] = select(table)
    if projects is not None:
        query = query.where(table.c.project.in_(projects))
    for column, value in filters.items():
        if value is not None:
            query = query.where(table.c[column] == value)
    if is_open is not None:
        closed = table.c[periods.closed]
        query = query.where(closed.is_(None) if is_open else closed.is_not(None))
    return newest_first(engine, query, table.c.id, limit=limit, offset=offset, after=after)


def aware(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; every time the bridge stores is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def api_time(value: dt.datetime) -> str:
    """A time as the API writes it: UTC, ISO 8601 ending in `Z` (pydantic's AwareDatetime in UTC).

    For bodies built by hand (webhooks, stored run events) rather than by a response model.
    """
    return aware(value).astimezone(dt.UTC).isoformat().removesuffix("+00:00") + "Z"
