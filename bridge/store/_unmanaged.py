"""Unmanaged runs and findings: what exists at the providers that no stack manages, with history.

A finding opens at the first run that reports its address (`first_seen`), follows later runs
(`last_seen`), and is marked gone at the first later run that enumerated its provider, region and
kind completely (a scope of the run) without it. A provider that failed or was skipped has no
scope, so it marks nothing gone. A finding seen again after it was gone opens a new row.
Times are the bridge's clock when the run arrived. Must not import the web framework.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from typing import Any, Literal

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    select,
)

from fedstack.bridge.store._engine import write_transaction
from fedstack.bridge.store._models import metadata
from fedstack.bridge.store._paging import Page
from fedstack.bridge.store._periods import (
    PeriodTable,
    api_time,
    aware,
    close_periods,
    lock_history,
    open_periods,
    period_page,
    record_seen,
)
from fedstack.unmanaged import UnmanagedReport, report_document

__all__ = [
    "StoredUnmanagedRun",
    "UnmanagedEvent",
    "UnmanagedRecord",
    "query_unmanaged",
    "store_unmanaged_run",
    "unmanaged_counts",
]

_NAME = String(128)
# Serialises history updates of one project across PostgreSQL replicas (SQLite has one writer).
_HISTORY_LOCK_KEY = 0x756E6D67

unmanaged_runs = Table(
    "unmanaged_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("project", _NAME, nullable=False),
    Column("run_id", String(128), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("status", String(16), nullable=False),
    Column("exit_code", Integer, nullable=False),
    Column("found", Integer, nullable=False),
    Column("token_id", String(64), nullable=False),
    Column("report", Text, nullable=False),
    UniqueConstraint("project", "run_id", name="uq_unmanaged_runs_project_run"),
)

unmanaged_findings = Table(
    "unmanaged_findings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("project", _NAME, nullable=False),
    Column("address", Text, nullable=False),
    Column("provider", String(64), nullable=False),
    Column("region", String(64), nullable=False),
    Column("country", String(2), nullable=True),
    Column("kind", String(32), nullable=False),
    Column("resource_type", String(128), nullable=False),
    Column("identifier", Text, nullable=False),
    Column("ignored", Boolean, nullable=False),
    Column("import_block", Text, nullable=False),
    Column("first_seen_at", DateTime(timezone=True), nullable=False),
    Column("first_run", Integer, ForeignKey("unmanaged_runs.id"), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    Column("last_run", Integer, ForeignKey("unmanaged_runs.id"), nullable=False),
    Column("gone_at", DateTime(timezone=True), nullable=True),
    Column("gone_run", Integer, ForeignKey("unmanaged_runs.id"), nullable=True),
    Index("ix_unmanaged_findings_open", "project", "gone_at"),
)

# A finding is a history period (fedstack.bridge.store._periods): where and what it is is kept
# from the run that first saw it; only `ignored` follows later runs.
UNMANAGED_PERIODS = PeriodTable(
    unmanaged_findings,
    key=("address",),
    closed="gone_at",
    runs=True,
    kept=(
        "provider",
        "region",
        "country",
        "kind",
        "resource_type",
        "identifier",
        "import_block",
    ),
)


@dataclass(frozen=True)
class UnmanagedRecord:
    """One stored finding: where it is, what it is, and since when (gone_at None while open)."""

    id: int
    project: str
    address: str
    provider: str
    region: str
    country: str | None
    kind: str
    resource_type: str
    identifier: str
    ignored: bool
    import_block: str
    first_seen_at: dt.datetime
    first_run: int
    last_seen_at: dt.datetime
    last_run: int
    gone_at: dt.datetime | None
    gone_run: int | None


@dataclass(frozen=True)
class UnmanagedEvent:
    """A change the webhook reports: a finding new in this run, or gone since the last one."""

    change: Literal["new", "gone"]
    finding: UnmanagedRecord

    def as_json(self) -> dict[str, Any]:
        """The event as JSON-ready data (without the import block)."""
        record = {k: v for k, v in asdict(self.finding).items() if k != "import_block"}
        for key in ("first_seen_at", "last_seen_at", "gone_at"):
            record[key] = api_time(record[key]) if record[key] else None
        return {"change": self.change, **record}


@dataclass(frozen=True)
class StoredUnmanagedRun:
    """The outcome of posting a run: its bridge id, whether it was new, and what changed."""

    id: int
    created: bool
    events: list[UnmanagedEvent]


def store_unmanaged_run(
    engine: Engine, project: str, report: UnmanagedReport, *, who: str
) -> StoredUnmanagedRun:
    """Store a run and update the history; a run_id seen before is returned as it was."""
    now = dt.datetime.now(dt.UTC)
    with write_transaction(engine) as conn:
        lock_history(conn, _HISTORY_LOCK_KEY, project)
        existing = conn.execute(
            select(unmanaged_runs.c.id).where(
                unmanaged_runs.c.project == project, unmanaged_runs.c.run_id == report.run_id
            )
        ).scalar_one_or_none()
        if existing is not None:
            return StoredUnmanagedRun(id=existing, created=False, events=[])
        run = conn.execute(
            unmanaged_runs.insert()
            .values(
                project=project,
                run_id=report.run_id,
                received_at=now,
                status=report.status,
                exit_code=report.exit_code,
                found=report.summary.found,
                token_id=who,
                report=json.dumps(report_document(report)),
            )
            .returning(unmanaged_runs.c.id)
        ).scalar_one()
        open_rows = open_periods(conn, UNMANAGED_PERIODS, project)
        seen: dict[tuple[Any, ...], dict[str, Any]] = {}
        for finding in report.findings:
            seen.setdefault(
                (finding.address,),
                {
                    "provider": finding.provider,
                    "region": finding.region,
                    "country": finding.country,
                    "kind": finding.kind,
                    "resource_type": finding.resource_type,
                    "identifier": finding.identifier,
                    "import_block": finding.import_block,
                    "ignored": finding.ignored,
                },
            )
        record_seen(conn, UNMANAGED_PERIODS, project, open_rows, seen, now=now, run=run)
        checked = {
            (s.provider, s.region, s.kind)
            for p in report.providers
            if p.status == "checked"
            for s in p.scopes
        }
        gone = [
            row
            for key, row in open_rows.items()
            if key not in seen and (row.provider, row.region, row.kind) in checked
        ]
        close_periods(conn, UNMANAGED_PERIODS, gone, now=now, run=run)
        events = _changes(conn, project, run)
    return StoredUnmanagedRun(id=run, created=True, events=events)


def query_unmanaged(
    engine: Engine,
    projects: list[str] | None,
    *,
    state: Literal["open", "gone"] | None = None,
    project: str | None = None,
    provider: str | None = None,
    limit: int = 100,
    offset: int = 0,
    after: str | None = None,
) -> Page[UnmanagedRecord]:
    """Stored findings, newest first; `state` open (still there) or gone."""
    return period_page(
        engine,
        UNMANAGED_PERIODS,
        projects,
        is_open=None if state is None else state == "open",
        filters={"project": project, "provider": provider},
        limit=limit,
        offset=offset,
        after=after,
    ).map(_record)


def unmanaged_counts(engine: Engine, projects: list[str] | None) -> dict[str, int]:
    """Open, not ignored findings per provider (what the dashboard overview shows)."""
    query = (
        select(unmanaged_findings.c.provider, func.count())
        .where(unmanaged_findings.c.gone_at.is_(None), unmanaged_findings.c.ignored.is_(False))
        .group_by(unmanaged_findings.c.provider)
        .order_by(unmanaged_findings.c.provider)
    )
    if projects is not None:
        query = query.where(unmanaged_findings.c.project.in_(projects))
    with engine.connect() as conn:
        return {provider: count for provider, count in conn.execute(query).all()}


def _changes(conn: Connection, project: str, run: int) -> list[UnmanagedEvent]:
    """What `run` changed: the findings it opened, then those it marked gone, each by id."""
    table = unmanaged_findings
    new, gone = (
        conn.execute(
            select(table).where(table.c.project == project, column == run).order_by(table.c.id)
        ).all()
        for column in (table.c.first_run, table.c.gone_run)
    )
    return [UnmanagedEvent("new", _record(r)) for r in new] + [
        UnmanagedEvent("gone", _record(r)) for r in gone
    ]


def _record(row: Any) -> UnmanagedRecord:
    values = {column: getattr(row, column) for column in UnmanagedRecord.__dataclass_fields__}
    for key in ("first_seen_at", "last_seen_at", "gone_at"):
        if values[key] is not None:
            values[key] = aware(values[key])
    return UnmanagedRecord(**values)
