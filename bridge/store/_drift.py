"""Drift runs and per-resource drift history: store a run, keep periods, read them back.

A period (fedstack.bridge.store._periods) is one stretch of time a resource was seen drifting: it
opens at the first run that shows the resource drifting, its `last_seen` follows later runs, and
it closes (`resolved_at`) at the first later run that checked the stack without error and no
longer shows the resource.
A stack a run did not include, or one that errored, resolves nothing. Times are the bridge's
clock when the run arrived, so runs posted out of order cannot rewrite history.
Must not import the web framework.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Literal

from fedstack.drift.schema import MASK, DriftReport, ResourceDrift
from fedstack.bridge.store._engine import write_transaction
from fedstack.bridge.store._inventory import PlacementKey
from fedstack.bridge.store._models import drift_periods, drift_run_stacks, drift_runs, metadata
from fedstack.bridge.store._paging import Page, newest_first
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
from sqlalchemy import (
    Column,
    Connection,
    Engine,
    ForeignKey,
    Integer,
    Row,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    select,
)

__all__ = [
    "drifting_by_placement",
    "DriftEvent",
    "DriftPeriod",
    "RunGroup",
    "RunPoint",
    "RunSummary",
    "ShardConflict",
    "StackDrift",
    "StoredRun",
    "drift_overview",
    "drift_run_shards",
    "get_run",
    "get_run_group",
    "list_runs",
    "mask_sensitive",
    "query_periods",
    "run_series",
    "stack_series",
    "store_run",
]

# Serialises history updates of one project across PostgreSQL replicas (SQLite has one writer).
_HISTORY_LOCK_KEY = 0x64726674


@dataclass(frozen=True)
class DriftEvent:
    """A change of drift state the webhook reports: a resource newly drifting or newly resolved."""

    change: Literal["drifted", "resolved"]
    project: str
    stack: str
    address: str
    kind: str
    ignored: bool
    provider: str | None
    region: str | None
    country: str | None
    first_seen_at: dt.datetime
    resolved_at: dt.datetime | None = None

    def as_json(self) -> dict[str, Any]:
        """The event as a JSON-ready dict."""
        return {
            "change": self.change,
            "project": self.project,
            "stack": self.stack,
            "address": self.address,
            "kind": self.kind,
            "ignored": self.ignored,
            "provider": self.provider,
            "region": self.region,
            "country": self.country,
            "first_seen_at": api_time(self.first_seen_at),
            "resolved_at": api_time(self.resolved_at) if self.resolved_at else None,
        }


@dataclass(frozen=True)
class RunSummary:
    """One stored run without its report: what it found, when it arrived, who posted it."""

    id: int
    project: str
    run_id: str
    received_at: dt.datetime
    started_at: dt.datetime
    finished_at: dt.datetime
    status: str
    exit_code: int
    stacks: int
    resources_drifted: int
    posted_by: str


@dataclass(frozen=True)
class DriftPeriod:
    """One stretch of time a resource drifted (resolved_at None while it still drifts)."""

    project: str
    stack: str
    address: str
    type: str
    kind: str
    ignored: bool
    provider: str | None
    region: str | None
    country: str | None
    state: Literal["drifting", "resolved"]
    first_seen_at: dt.datetime
    first_run: int
    last_seen_at: dt.datetime
    last_run: int
    resolved_at: dt.datetime | None
    resolved_run: int | None


@dataclass(frozen=True)
class RunPoint:
    """One run on a time axis: when it arrived and how many resources drifted in it."""

    id: int
    at: dt.datetime
    drifted: int


@dataclass(frozen=True)
class StackDrift:
    """One stack's drift now: resources drifting, and its last run (None: in no run yet)."""

    drifting: int
    last_run: int | None
    last_run_at: dt.datetime | None
    last_status: str | None
    provider: str | None
    region: str | None
    country: str | None


# One row per shard of a sharded run (a run group): its run, exit code and drift events, kept
# until the last shard arrives and the group's one webhook notification is sent.
drift_run_shards = Table(
    "drift_run_shards",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("project", String(128), nullable=False),
    Column("run_group", String(128), nullable=False),
    Column("shard_index", Integer, nullable=False),
    Column("shard_count", Integer, nullable=False),
    Column("run", Integer, ForeignKey("drift_runs.id"), nullable=False),
    Column("exit_code", Integer, nullable=False),
    Column("events", Text, nullable=False),
    UniqueConstraint("project", "run_group", "shard_index", name="uq_drift_run_shards"),
)


class ShardConflict(ValueError):
    """A shard that does not fit its run group (reported before, or another shard count)."""


@dataclass(frozen=True)
class RunGroup:
    """The shards of one run group: which reported, their runs, and the group's exit code."""

    project: str
    run_group: str
    shard_count: int
    reported: list[int]
    runs: list[int]
    exit_codes: list[int]

    @property
    def complete(self) -> bool:
        """True once every shard 1..shard_count has reported."""
        return sorted(self.reported) == list(range(1, self.shard_count + 1))

    @property
    def exit_code(self) -> int | None:
        """1 if a shard errored, else 2 if one found drift, else 0; None until complete."""
        if not self.complete:
            return None
        return 1 if 1 in self.exit_codes else 2 if 2 in self.exit_codes else 0

    def as_json(self) -> dict[str, Any]:
        """The group's state as a JSON-ready dict."""
        return {
            "run_group": self.run_group,
            "shard_count": self.shard_count,
            "shards_reported": sorted(self.reported),
            "shards_missing": [i for i in range(1, self.shard_count + 1) if i not in self.reported],
            "complete": self.complete,
            "group_exit_code": self.exit_code,
            "runs": self.runs,
        }


@dataclass(frozen=True)
class StoredRun:
    """The outcome of posting a run: its bridge id, whether it was new, and what changed.

    For a shard, `events` stays empty until the last shard of its group arrives; then it holds
    the whole group's events, so the webhook hears of a sharded run once.
    """

    id: int
    created: bool
    events: list[DriftEvent]
    group: RunGroup | None = None


def mask_sensitive(report: DriftReport) -> DriftReport:
    """The report with every value marked sensitive replaced by MASK (the bridge never keeps one)."""
    masked = report.model_copy(deep=True)
    for stack in masked.stacks:
        for resource in stack.drift:
            for change in resource.changes:
                if change.sensitive:
                    change.before = MASK
                    change.after = MASK
    return masked


def store_run(engine: Engine, project: str, report: DriftReport, *, who: str) -> StoredRun:
    """Store a run (masked) and update the history; a run_id seen before is returned as is."""
    report = mask_sensitive(report)
    now = dt.datetime.now(dt.UTC)
    with write_transaction(engine) as conn:
        lock_history(conn, _HISTORY_LOCK_KEY, project)
        existing = conn.execute(
            select(drift_runs.c.id).where(
                drift_runs.c.project == project, drift_runs.c.run_id == report.run_id
            )
        ).scalar_one_or_none()
        if existing is not None:
            return StoredRun(id=existing, created=False, events=[])
        run = conn.execute(
            drift_runs.insert()
            .values(
                project=project,
                run_id=report.run_id,
                received_at=now,
                started_at=report.started_at,
                finished_at=report.finished_at,
                status=report.status,
                exit_code=report.exit_code,
                stacks=len(report.stacks),
                resources_drifted=report.summary.resources_drifted,
                token_id=who,
                report=report.model_dump_json(),
            )
            .returning(drift_runs.c.id)
        ).scalar_one()
        if report.stacks:
            conn.execute(
                drift_run_stacks.insert(),
                [
                    {
                        "run": run,
                        "project": project,
                        "stack": stack.name,
                        "status": stack.status,
                        "provider": stack.provider,
                        "region": stack.region,
                        "country": stack.country,
                        "resources_drifted": len(stack.drift),
                    }
                    for stack in report.stacks
                ],
            )
        checked = {s.name: s.drift for s in report.stacks if s.status != "error"}
        events = _update_history(conn, project, checked, run, now) if checked else []
        if report.run_group and report.shard:
            group = _record_shard(conn, project, report, run, events)
            return StoredRun(id=run, created=True, events=_group_events(conn, group), group=group)
    return StoredRun(id=run, created=True, events=events)


def _record_shard(
    conn: Connection, project: str, report: DriftReport, run: int, events: list[DriftEvent]
) -> RunGroup:
    assert report.run_group and report.shard
    before = _group(conn, project, report.run_group)
    if before is not None and before.shard_count != report.shard.count:
        raise ShardConflict(
            f"run group {report.run_group} has {before.shard_count} shards, not {report.shard.count}"
        )
    if before is not None and report.shard.index in before.reported:
        raise ShardConflict(
            f"shard {report.shard.index}/{report.shard.count} of run group {report.run_group} "
            "has reported already"
        )
    conn.execute(
        drift_run_shards.insert().values(
            project=project,
            run_group=report.run_group,
            shard_index=report.shard.index,
            shard_count=report.shard.count,
            run=run,
            exit_code=report.exit_code,
            events=json.dumps([e.as_json() for e in events]),
        )
    )
    group = _group(conn, project, report.run_group)
    assert group is not None
    return group


def _group(conn: Connection, project: str, run_group: str) -> RunGroup | None:
    rows = conn.execute(
        select(drift_run_shards)
        .where(drift_run_shards.c.project == project, drift_run_shards.c.run_group == run_group)
        .order_by(drift_run_shards.c.shard_index)
    ).all()
    if not rows:
        return None
    return RunGroup(
        project=project,
        run_group=run_group,
        shard_count=rows[0].shard_count,
        reported=[r.shard_index for r in rows],
        runs=[r.run for r in rows],
        exit_codes=[r.exit_code for r in rows],
    )


def _group_events(conn: Connection, group: RunGroup) -> list[DriftEvent]:
    """Every shard's events once the group is complete; none before."""
    if not group.complete:
        return []
    rows = conn.execute(
        select(drift_run_shards.c.events)
        .where(
            drift_run_shards.c.project == group.project,
            drift_run_shards.c.run_group == group.run_group,
        )
        .order_by(drift_run_shards.c.shard_index)
    ).all()
    return [_event(item) for row in rows for item in json.loads(row.events)]


def _event(data: dict[str, Any]) -> DriftEvent:
    resolved = data.get("resolved_at")
    return DriftEvent(
        **{k: v for k, v in data.items() if k not in ("first_seen_at", "resolved_at")},
        first_seen_at=dt.datetime.fromisoformat(data["first_seen_at"]),
        resolved_at=dt.datetime.fromisoformat(resolved) if resolved else None,
    )


def get_run_group(
    engine: Engine, project: str, run_group: str
) -> tuple[RunGroup, list[DriftReport]] | None:
    """A run group's shards and each shard's report, in shard order; None when unknown."""
    with engine.connect() as conn:
        group = _group(conn, project, run_group)
        if group is None:
            return None
        rows = conn.execute(
            select(drift_runs.c.id, drift_runs.c.report).where(drift_runs.c.id.in_(group.runs))
        ).all()
    reports = {r.id: DriftReport.model_validate_json(r.report) for r in rows}
    return group, [reports[run] for run in group.runs]


DRIFT_PERIODS = PeriodTable(
    drift_periods, key=("stack", "address"), closed="resolved_at", runs=True, kept=("type",)
)


def _update_history(
    conn: Connection,
    project: str,
    checked: dict[str, list[ResourceDrift]],
    run: int,
    now: dt.datetime,
) -> list[DriftEvent]:
    """Open, extend or close periods of the stacks a run checked (errored ones are left out)."""
    open_rows = open_periods(conn, DRIFT_PERIODS, project, stacks=list(checked))
    seen: dict[tuple[Any, ...], dict[str, Any]] = {}
    for stack, drift in checked.items():
        for resource in drift:
            seen.setdefault(
                (stack, resource.address),
                {
                    "type": resource.type,
                    "kind": resource.kind,
                    "ignored": resource.ignored,
                    "provider": resource.provider,
                    "region": resource.region,
                    "country": resource.country,
                },
            )
    opened = record_seen(conn, DRIFT_PERIODS, project, open_rows, seen, now=now, run=run)
    gone = [row for key, row in open_rows.items() if key not in seen]
    close_periods(conn, DRIFT_PERIODS, gone, now=now, run=run)
    events = []
    for stack, address in opened:
        values = {k: v for k, v in seen[(stack, address)].items() if k != "type"}
        events.append(DriftEvent("drifted", project, stack, address, first_seen_at=now, **values))
    for row in gone:
        events.append(
            DriftEvent(
                "resolved",
                project,
                row.stack,
                row.address,
                kind=row.kind,
                ignored=row.ignored,
                provider=row.provider,
                region=row.region,
                country=row.country,
                first_seen_at=aware(row.first_seen_at),
                resolved_at=now,
            )
        )
    return events


def list_runs(
    engine: Engine,
    projects: list[str] | None,
    *,
    project: str | None = None,
    stack: str | None = None,
    limit: int = 50,
    offset: int = 0,
    after: str | None = None,
) -> Page[RunSummary]:
    """Runs, newest first, limited to `projects` (None: all)."""
    query = select(*_RUN_COLUMNS)
    if projects is not None:
        query = query.where(drift_runs.c.project.in_(projects))
    if project is not None:
        query = query.where(drift_runs.c.project == project)
    if stack is not None:
        members = select(drift_run_stacks.c.run).where(drift_run_stacks.c.stack == stack)
        query = query.where(drift_runs.c.id.in_(members))
    page = newest_first(engine, query, drift_runs.c.id, limit=limit, offset=offset, after=after)
    return page.map(_run_summary)


def get_run(engine: Engine, run: int) -> tuple[RunSummary, DriftReport] | None:
    """A run's summary and its report with `first_seen_drifting` filled in; None when unknown."""
    with engine.connect() as conn:
        row = conn.execute(select(drift_runs).where(drift_runs.c.id == run)).first()
        if row is None:
            return None
        report = DriftReport.model_validate_json(row.report)
        periods = conn.execute(
            select(drift_periods).where(
                drift_periods.c.project == row.project,
                drift_periods.c.first_run <= run,
                drift_periods.c.last_run >= run,
            )
        ).all()
    first_seen = {(p.stack, p.address): aware(p.first_seen_at) for p in periods}
    for stack in report.stacks:
        for resource in stack.drift:
            resource.first_seen_drifting = first_seen.get((stack.name, resource.address))
    return _run_summary(row), report


def query_periods(
    engine: Engine,
    projects: list[str] | None,
    *,
    state: Literal["drifting", "resolved"] | None = None,
    project: str | None = None,
    stack: str | None = None,
    limit: int = 100,
    offset: int = 0,
    after: str | None = None,
) -> Page[DriftPeriod]:
    """History periods, newest first; `state` drifting = still open, resolved = closed."""
    return period_page(
        engine,
        DRIFT_PERIODS,
        projects,
        is_open=None if state is None else state == "drifting",
        filters={"project": project, "stack": stack},
        limit=limit,
        offset=offset,
        after=after,
    ).map(_period)


def run_series(
    engine: Engine,
    projects: list[str] | None,
    *,
    since: dt.datetime | None = None,
    limit: int = 5000,
) -> list[RunPoint]:
    """Runs received `since` (newest `limit`), oldest first: when each arrived and how many drifted."""
    query = select(drift_runs.c.id, drift_runs.c.received_at, drift_runs.c.resources_drifted)
    if projects is not None:
        query = query.where(drift_runs.c.project.in_(projects))
    if since is not None:
        query = query.where(drift_runs.c.received_at >= since)
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(drift_runs.c.id.desc()).limit(limit)).all()
    return [RunPoint(r.id, aware(r.received_at), r.resources_drifted) for r in reversed(rows)]


def stack_series(
    engine: Engine,
    project: str,
    stack: str,
    *,
    since: dt.datetime | None = None,
    limit: int = 5000,
) -> list[RunPoint]:
    """Like run_series, for one stack: the resources that stack had drifting in each run."""
    query = (
        select(drift_runs.c.id, drift_runs.c.received_at, drift_run_stacks.c.resources_drifted)
        .join(drift_runs, drift_runs.c.id == drift_run_stacks.c.run)
        .where(drift_run_stacks.c.project == project, drift_run_stacks.c.stack == stack)
    )
    if since is not None:
        query = query.where(drift_runs.c.received_at >= since)
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(drift_runs.c.id.desc()).limit(limit)).all()
    return [RunPoint(r.id, aware(r.received_at), r.resources_drifted) for r in reversed(rows)]


def drift_overview(engine: Engine, projects: list[str] | None) -> dict[tuple[str, str], StackDrift]:
    """Per (project, stack): open drift periods and the stack's last run (id, time, status)."""
    open_counts = select(
        drift_periods.c.project, drift_periods.c.stack, func.count().label("n")
    ).where(drift_periods.c.resolved_at.is_(None))
    last = select(
        drift_run_stacks.c.project,
        drift_run_stacks.c.stack,
        func.max(drift_run_stacks.c.run).label("run"),
    )
    if projects is not None:
        open_counts = open_counts.where(drift_periods.c.project.in_(projects))
        last = last.where(drift_run_stacks.c.project.in_(projects))
    open_counts = open_counts.group_by(drift_periods.c.project, drift_periods.c.stack)
    last_sub = last.group_by(drift_run_stacks.c.project, drift_run_stacks.c.stack).subquery()
    latest = (
        select(drift_run_stacks, drift_runs.c.received_at)
        .join(
            last_sub,
            (last_sub.c.run == drift_run_stacks.c.run)
            & (last_sub.c.project == drift_run_stacks.c.project)
            & (last_sub.c.stack == drift_run_stacks.c.stack),
        )
        .join(drift_runs, drift_runs.c.id == drift_run_stacks.c.run)
    )
    with engine.connect() as conn:
        drifting = {(r.project, r.stack): r.n for r in conn.execute(open_counts).all()}
        last_runs = conn.execute(latest).all()
    result = {
        (r.project, r.stack): StackDrift(
            drifting=drifting.get((r.project, r.stack), 0),
            last_run=r.run,
            last_run_at=aware(r.received_at),
            last_status=r.status,
            provider=r.provider,
            region=r.region,
            country=r.country,
        )
        for r in last_runs
    }
    for key, count in drifting.items():  # drifting, yet in no run kept: known by periods only
        result.setdefault(key, StackDrift(count, None, None, None, None, None, None))
    return result


_RUN_COLUMNS = (
    drift_runs.c.id,
    drift_runs.c.project,
    drift_runs.c.run_id,
    drift_runs.c.received_at,
    drift_runs.c.started_at,
    drift_runs.c.finished_at,
    drift_runs.c.status,
    drift_runs.c.exit_code,
    drift_runs.c.stacks,
    drift_runs.c.resources_drifted,
    drift_runs.c.token_id,
)


def _run_summary(row: Any) -> RunSummary:  # a full row or the listing columns
    return RunSummary(
        id=row.id,
        project=row.project,
        run_id=row.run_id,
        received_at=aware(row.received_at),
        started_at=aware(row.started_at),
        finished_at=aware(row.finished_at),
        status=row.status,
        exit_code=row.exit_code,
        stacks=row.stacks,
        resources_drifted=row.resources_drifted,
        posted_by=row.token_id,
    )


def _period(row: Row[Any]) -> DriftPeriod:
    return DriftPeriod(
        project=row.project,
        stack=row.stack,
        address=row.address,
        type=row.type,
        kind=row.kind,
        ignored=row.ignored,
        provider=row.provider,
        region=row.region,
        country=row.country,
        state="drifting" if row.resolved_at is None else "resolved",
        first_seen_at=aware(row.first_seen_at),
        first_run=row.first_run,
        last_seen_at=aware(row.last_seen_at),
        last_run=row.last_run,
        resolved_at=aware(row.resolved_at) if row.resolved_at else None,
        resolved_run=row.resolved_run,
    )


def drifting_by_placement(engine: Engine, projects: list[str] | None) -> dict[PlacementKey, int]:
    """Resources drifting now per (provider, region, country), for the dashboard."""
    query = (
        select(
            drift_periods.c.provider,
            drift_periods.c.region,
            drift_periods.c.country,
            func.count().label("n"),
        )
        .where(drift_periods.c.resolved_at.is_(None))
        .group_by(drift_periods.c.provider, drift_periods.c.region, drift_periods.c.country)
    )
    if projects is not None:
        query = query.where(drift_periods.c.project.in_(projects))
    with engine.connect() as conn:
        return {(r.provider, r.region, r.country): r.n for r in conn.execute(query).all()}
