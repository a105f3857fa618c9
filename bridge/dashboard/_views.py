"""What each dashboard page shows, gathered from the store into plain dataclasses.

Must not import the web framework: pages.py renders these, tests may call them directly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import quote

from fedstack.catalog import FACT_NAMES
from pydantic import BaseModel
from fedstack.policy import Outcome, PolicyReport

from fedstack.bridge.dashboard._chart import Day, Failing, RunMark, daily
from fedstack.reports import MapState, RegionMarker
from fedstack.bridge._errors import NotFound
from fedstack.bridge._placement import catalog
from fedstack.bridge._resources import AttributeDiff, diff_states
from fedstack.bridge._statefile import parse_state
from fedstack.bridge.store import (
    InventoryFilter,
    check_stack,
    drift_overview,
    drifting_by_placement,
    get_version,
    inventory_by_placement,
    inventory_page,
    list_policies,
    list_stacks,
    list_tokens,
    list_versions,
    query_findings,
    read_audit,
    run_series,
    stack_series,
)
from fedstack.bridge.store import (
    InventoryResource,
    PlacementKey,
    PolicyFinding,
    StackDrift,
    StackInfo,
)
from sqlalchemy import Engine

__all__ = [
    "GroupRow",
    "History",
    "PolicyView",
    "RuleVerdict",
    "StackDetail",
    "StackRow",
    "compliance",
    "stack_detail",
    "history",
    "overview",
]

_WINDOW = dt.timedelta(days=90)
_MAX_FINDINGS = 10_000

_Key = PlacementKey
_NO_DRIFT = StackDrift(0, None, None, None, None, None, None)


@dataclass
class GroupRow:
    """One provider/region/country line of the overview."""

    provider: str | None
    region: str | None
    country: str | None
    stacks: set[tuple[str, str]] = field(default_factory=set)
    resources: int = 0
    drifted: int = 0
    last_run_at: dt.datetime | None = None
    last_run: int | None = None


@dataclass
class StackRow:
    """One stack of the overview: placement, inventory size, drift now and its last run."""

    project: str
    stack: str
    provider: str | None
    region: str | None
    country: str | None
    resources: int
    drifting: int
    last_run: int | None
    last_run_at: dt.datetime | None
    last_status: str | None


def overview(engine: Engine, projects: list[str] | None) -> tuple[list[GroupRow], list[StackRow]]:
    """The overview's rows by placement and by stack, for the projects the caller may see."""
    drift = drift_overview(engine, projects)
    inventory = inventory_by_placement(engine, projects)
    stacks: dict[tuple[str, str], StackRow] = {}
    for item in list_stacks(engine, projects):
        key = (item.project, item.stack)
        place = next(iter(sorted(inventory.get(key, {}), key=str)), (None, None, None))
        stacks[key] = _stack_row(key, place, item.resource_count, item, drift.get(key))
    for key, entry in drift.items():
        if key not in stacks:
            place = (entry.provider, entry.region, entry.country)
            stacks[key] = _stack_row(key, place, 0, None, entry)
    groups: dict[_Key, GroupRow] = {}
    for key, row in stacks.items():
        places = inventory.get(key) or {(row.provider, row.region, row.country): 0}
        for place, count in places.items():
            group = groups.setdefault(place, GroupRow(*place))
            group.stacks.add(key)
            group.resources += count
            if row.last_run_at and (
                group.last_run_at is None or row.last_run_at > group.last_run_at
            ):
                group.last_run_at, group.last_run = row.last_run_at, row.last_run
    for place, count in drifting_by_placement(engine, projects).items():
        groups.setdefault(place, GroupRow(*place)).drifted += count
    ordered = sorted(
        groups.values(), key=lambda g: (g.provider or "~", g.region or "~", g.country or "~")
    )
    return ordered, sorted(stacks.values(), key=lambda s: (s.project, s.stack))


def _stack_row(
    key: tuple[str, str],
    place: _Key,
    count: int,
    item: StackInfo | None,
    drift: StackDrift | None,
) -> StackRow:
    provider, region, country = place
    if item is not None and item.provider:
        provider, region = item.provider, item.region
    drift = drift or _NO_DRIFT
    return StackRow(
        project=key[0],
        stack=key[1],
        provider=provider or drift.provider,
        region=region or drift.region,
        country=country or drift.country,
        resources=count,
        drifting=drift.drifting,
        last_run=drift.last_run,
        last_run_at=drift.last_run_at,
        last_status=drift.last_status,
    )


@dataclass(frozen=True)
class History:
    """The days of the history chart and the runs marked on it."""

    days: list[Day]
    runs: list[RunMark]


def history(
    engine: Engine,
    projects: list[str] | None,
    *,
    stack: tuple[str, str] | None = None,
    now: dt.datetime | None = None,
) -> History:
    """Drift runs and policy findings per day over the last 90 days (of `stack` when given)."""
    now = now or dt.datetime.now(dt.UTC)
    since = now - _WINDOW
    if stack is None:
        series = run_series(engine, projects, since=since)
        policies = list_policies(engine, projects)
        found = query_findings(engine, projects, limit=_MAX_FINDINGS).items
    else:
        series = stack_series(engine, *stack, since=since)
        policies = list_policies(engine, [stack[0]])
        found = query_findings(engine, [stack[0]], stack=stack[1], limit=_MAX_FINDINGS).items
    runs = [RunMark(p.at, p.drifted, f"/dashboard/runs/{p.id}") for p in series]
    findings = [Failing(f.first_seen_at, f.resolved_at) for f in found]
    # Findings older than the policy's last change still count: the policy applied then too.
    starts = [p.updated_at for p in policies] + [f.since for f in findings]
    policy_since = min(starts) if policies else None
    days = daily(runs, findings, today=now.astimezone(dt.UTC).date(), policy_since=policy_since)
    return History(days, runs)


@dataclass(frozen=True)
class RuleVerdict:
    """How one rule of the project's policy judges one stack now, and why."""

    stack: str
    rule_id: str
    title: str
    outcome: str  # "pass", "unknown", "fail", or "no resources"
    resources: int
    reasons: list[str]


@dataclass(frozen=True)
class PolicyView:
    """A project's policy: its rules and its verdict on each of the project's stacks."""

    project: str
    name: str
    source: str
    description: str
    rules: list[tuple[str, str, str]]  # id, title, rationale
    set_at: dt.datetime
    set_by: str
    verdicts: list[RuleVerdict]


_MAX_REASONS = 3


def compliance(engine: Engine, projects: list[str] | None) -> list[PolicyView]:
    """Each visible project's policy and, per stack and rule, the verdict with its reasons."""
    names: dict[str, list[str]] = {}
    for item in list_stacks(engine, projects):
        names.setdefault(item.project, []).append(item.stack)
    views = []
    for policy in list_policies(engine, projects):
        project = policy.project
        verdicts: list[RuleVerdict] = []
        description, rules = "", []
        for stack in sorted(names.get(project, [])):
            report = check_stack(engine, project, stack)
            if report is None:
                continue
            description = report.policy_description
            rules = [(r.id, r.title, r.rationale) for r in report.rules]
            verdicts.extend(_verdicts(stack, report))
        views.append(
            PolicyView(
                project=project,
                name=policy.name,
                source=policy.source,
                description=description,
                rules=rules,
                set_at=policy.updated_at,
                set_by=policy.updated_by,
                verdicts=verdicts,
            )
        )
    return views


def _verdicts(stack: str, report: PolicyReport) -> list[RuleVerdict]:
    out = []
    for rule in report.rules:
        judged = [
            (entry.address, finding)
            for entry in report.resources
            for finding in entry.findings
            if finding.rule_id == rule.id
        ]
        if not judged:
            out.append(RuleVerdict(stack, rule.id, rule.title, "no resources", 0, []))
            continue
        worst = max((f.outcome for _, f in judged), key=lambda o: o.rank)
        reasons = sorted({f"{address}: {f.message}" for address, f in judged if f.outcome is worst})
        if len(reasons) > _MAX_REASONS:
            reasons = [*reasons[:_MAX_REASONS], f"… and {len(reasons) - _MAX_REASONS} more"]
        out.append(
            RuleVerdict(
                stack,
                rule.id,
                rule.title,
                Outcome(worst).value,
                len(judged),
                reasons,
            )
        )
    return out


@dataclass(frozen=True)
class FactRow:
    """One catalog fact a placement relied on, with its source and the date the source gives."""

    name: str
    value: str
    source: str | None
    as_of: dt.date | None
    verified: bool


@dataclass(frozen=True)
class VersionRow:
    """One state version and who wrote it (the token, from the audit log)."""

    version: int
    serial: int | None
    size: int
    created_at: dt.datetime
    token: str
    token_note: str
    action: str
    lock_id: str | None
    current: bool


@dataclass
class StackDetail:
    """What the stack page shows beyond its summary: inventory, placement facts, versions, diff."""

    resources: list[InventoryResource]
    resources_total: int
    placement: tuple[str | None, str | None]
    facts: list[FactRow]
    versions: list[VersionRow]
    diff: list[AttributeDiff] | None
    diff_pair: tuple[int, int] | None
    diff_note: str = ""
    resources_total_exact: bool = True
    """False past the inventory's count cap: `resources_total` is then a lower bound."""


_MAX_RESOURCES = 500
_MAX_VERSIONS = 200


def stack_detail(
    engine: Engine,
    project: str,
    stack: str,
    placement: tuple[str | None, str | None],
    pair: tuple[int, int] | None,
) -> StackDetail:
    """The stack's masked inventory, the catalog facts of its placement, its versions and a diff
    of `pair` (default: the two newest versions)."""
    page = inventory_page(
        engine, InventoryFilter(project=project, stack=stack), limit=_MAX_RESOURCES
    )
    total, found = page.total, page.items
    if placement[0] is None:  # no stack metadata: where its resources' regions put it
        placement = next(((r.provider, r.region) for r in found if r.provider), placement)
    versions = _versions(engine, project, stack)
    numbers = [v.version for v in versions]
    if pair is None and len(numbers) >= 2:
        pair = (numbers[-2], numbers[-1])
    detail = StackDetail(found, total, placement, _facts(*placement), versions, None, pair)
    detail.resources_total_exact = page.total_exact
    if pair is not None:
        if not set(pair) <= set(numbers):
            detail.diff_note = f"no version {', '.join(str(n) for n in pair if n not in numbers)}"
        else:
            detail.diff, detail.diff_note = _diff(engine, project, stack, pair)
    return detail


def _versions(engine: Engine, project: str, stack: str) -> list[VersionRow]:
    try:
        infos = list_versions(engine, project, stack)
    except NotFound:  # a stack known from drift runs only has no versions
        return []
    entries = read_audit(engine, projects=[project], project=project, stack=stack, limit=1000).items
    locks = {
        e.detail.get("version"): e.detail.get("lock_id")
        for e in entries
        if e.action in ("write", "restore")
    }
    notes = {
        t.id: f"{t.scope} token{': ' + t.description if t.description else ''}"
        for t in list_tokens(engine)
    }
    return [
        VersionRow(
            version=v.version,
            serial=v.serial,
            size=v.size,
            created_at=v.created_at,
            token=v.created_by,
            token_note=notes.get(v.created_by, ""),
            action=v.origin
            + (f" of version {v.restored_from}" if v.restored_from is not None else ""),
            lock_id=locks.get(v.version),
            current=v.current,
        )
        for v in infos[-_MAX_VERSIONS:]
    ]


def _diff(
    engine: Engine, project: str, stack: str, pair: tuple[int, int]
) -> tuple[list[AttributeDiff] | None, str]:
    documents = []
    for number in pair:
        state = parse_state(get_version(engine, project, stack, number).body)
        if state.encrypted:
            return None, f"version {number} is encrypted (OpenTofu): the bridge cannot read it"
        documents.append(state.document)
    return diff_states(*documents), ""


def _facts(provider: str | None, region: str | None) -> list[FactRow]:
    if not provider or not region:
        return []
    entry = catalog().providers.get(provider)
    if entry is None:  # a provider since removed from the catalog
        return []
    where = entry.region_entry(region)
    rows = []
    if where is not None:
        rows.append(FactRow("country of the region", where.country, where.source, None, True))
    for name in FACT_NAMES:
        fact, _ = entry.facts_for(name, region=region)
        if fact is None:
            continue
        value = fact.value.model_dump_json() if isinstance(fact.value, BaseModel) else fact.value
        rows.append(
            FactRow(name.replace("_", " "), str(value), fact.source, fact.as_of, fact.verified)
        )
    return rows


def map_markers(groups: list[GroupRow], open_findings: list[PolicyFinding]) -> list[RegionMarker]:
    """A marker per provider/region of the overview: failing a rule, else drifting, else in sync."""
    failing = {(f.provider, f.region) for f in open_findings}
    markers = []
    for group in groups:
        if not group.provider or not group.region:
            continue
        place = (group.provider, group.region)
        state: MapState = (
            "failing" if place in failing else "drifting" if group.drifted else "in_sync"
        )
        markers.append(
            RegionMarker(
                provider=group.provider,
                region=group.region,
                country=group.country,
                stacks=len(group.stacks),
                resources=group.resources,
                state=state,
                href=f"/dashboard?provider={quote(group.provider)}&region={quote(group.region)}#stacks",
            )
        )
    return markers
