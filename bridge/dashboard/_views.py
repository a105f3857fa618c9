"""What each dashboard page shows, gathered from the store into plain dataclasses.

Must not import the web framework: pages.py renders these, tests may call them directly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from fedstack.policy import Outcome, PolicyReport

from fedstack.bridge.dashboard._chart import Day, Failing, RunMark, daily
from fedstack.bridge.store import (
    check_stack,
    drift_overview,
    drifting_by_placement,
    inventory_by_placement,
    list_policies,
    list_stacks,
    query_findings,
    run_series,
    stack_series,
)
from fedstack.bridge.store import PlacementKey
from sqlalchemy import Engine

__all__ = [
    "GroupRow",
    "History",
    "PolicyView",
    "RuleVerdict",
    "StackRow",
    "compliance",
    "history",
    "overview",
]

_WINDOW = dt.timedelta(days=90)
_MAX_FINDINGS = 10_000

_Key = PlacementKey


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
        key = (item["project"], item["stack"])
        place = next(iter(sorted(inventory.get(key, {}), key=str)), (None, None, None))
        stacks[key] = _stack_row(key, place, item["resource_count"], item, drift.get(key))
    for key, entry in drift.items():
        if key not in stacks:
            place = (entry.get("provider"), entry.get("region"), entry.get("country"))
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
    item: dict[str, Any] | None,
    drift: dict[str, Any] | None,
) -> StackRow:
    provider, region, country = place
    if item is not None and item.get("provider"):
        provider, region = item["provider"], item["region"]
    drift = drift or {}
    return StackRow(
        project=key[0],
        stack=key[1],
        provider=provider or drift.get("provider"),
        region=region or drift.get("region"),
        country=country or drift.get("country"),
        resources=count,
        drifting=drift.get("drifting", 0),
        last_run=drift.get("last_run"),
        last_run_at=drift.get("last_run_at"),
        last_status=drift.get("last_status"),
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
        _, found = query_findings(engine, projects, limit=_MAX_FINDINGS)
    else:
        series = stack_series(engine, *stack, since=since)
        policies = list_policies(engine, [stack[0]])
        _, found = query_findings(engine, [stack[0]], stack=stack[1], limit=_MAX_FINDINGS)
    runs = [RunMark(p["at"], p["drifted"], f"/dashboard/runs/{p['id']}") for p in series]
    findings = [Failing(f["first_seen_at"], f["resolved_at"]) for f in found]
    # Findings older than the policy's last change still count: the policy applied then too.
    starts = [p["updated_at"] for p in policies] + [f.since for f in findings]
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
        names.setdefault(item["project"], []).append(item["stack"])
    views = []
    for policy in list_policies(engine, projects):
        project = policy["project"]
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
                name=policy["name"],
                source=policy["source"],
                description=description,
                rules=rules,
                set_at=policy["updated_at"],
                set_by=policy["updated_by"],
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
