"""Live-state sovereignty checks: each project's policy, and findings with history like drift.

A stack's inventory is checked against its project's policy (fedstack.policy.check_resources)
inside every transaction that changes the inventory (a state write, a restore, a deletion, a
new placement), so findings never disagree with the current state. A finding is one rule that
FAILS for one resource; it stays open while the rule keeps failing and is resolved when it
passes again (or the resource is gone, or the policy is removed). UNKNOWN (facts the catalog
cannot prove) is not a finding. Must not import the web framework.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from dataclasses import dataclass
from typing import Any, Literal

import yaml
from fedstack.bridge._errors import BadRequest
from fedstack.bridge._placement import catalog
from fedstack.bridge.store._audit import record
from fedstack.bridge.store._engine import write_transaction
from fedstack.bridge.store._models import compliance_findings, project_policies, resources, stacks
from fedstack.bridge.store._paging import Page
from fedstack.bridge.store._periods import (
    PeriodTable,
    aware,
    close_periods,
    open_periods,
    period_page,
    record_seen,
)
from pydantic import ValidationError
from sqlalchemy import Connection, Engine, Row, delete, func, select

from fedstack.policy import (
    PRESETS,
    UTILITY_PROVIDERS,
    Outcome,
    Policy,
    PolicyReport,
    ResourcePlacement,
    check_resources,
    describe,
    provider_source,
)

__all__ = [
    "PolicyFinding",
    "PolicySource",
    "StoredPolicy",
    "check_stack",
    "clear_policy",
    "evaluate_project",
    "evaluate_stack",
    "get_policy",
    "list_policies",
    "parse_policy",
    "query_findings",
    "set_policy",
]

PolicySource = Literal["preset", "yaml"]


@dataclass(frozen=True)
class StoredPolicy:
    """A project's policy as stored: how it was given, its rules, who set it when."""

    project: str
    name: str
    source: PolicySource
    document: str
    rules: list[str]
    updated_at: dt.datetime
    updated_by: str


@dataclass(frozen=True)
class PolicyFinding:
    """One rule failing for one resource, with its history (resolved_at None while it fails)."""

    project: str
    stack: str
    address: str
    type: str
    rule_id: str
    criterion: str
    message: str
    provider: str | None
    region: str | None
    country: str | None
    state: Literal["open", "resolved"]
    first_seen_at: dt.datetime
    last_seen_at: dt.datetime
    resolved_at: dt.datetime | None


_log = logging.getLogger("fedstack.bridge.compliance")

# A finding is a history period (fedstack.bridge.store._periods) of one rule failing for one
# resource; policy checks run inside state writes, which have no run number.
FINDING_PERIODS = PeriodTable(
    compliance_findings, key=("stack", "address", "rule_id"), closed="resolved_at", runs=False
)


@functools.lru_cache(maxsize=64)
def parse_policy(source: PolicySource, document: str) -> Policy:
    """A preset by name or a policy YAML document; BadRequest says what is wrong."""
    if source == "preset":
        if document not in PRESETS:
            raise BadRequest(f"unknown policy preset {document!r}; presets: {', '.join(PRESETS)}")
        return PRESETS[document]
    try:
        raw = yaml.safe_load(document)
    except yaml.YAMLError as exc:
        raise BadRequest(f"the policy is not valid YAML: {' '.join(str(exc).split())}") from None
    if not isinstance(raw, dict) or "rules" not in raw:
        raise BadRequest("a policy must be a YAML mapping with a 'rules' list")
    raw.setdefault("name", "custom")
    try:
        return Policy.model_validate(raw)
    except ValidationError as exc:
        raise BadRequest(f"the policy is not valid: {describe(exc)}") from None


def set_policy(
    engine: Engine, project: str, source: PolicySource, document: str, *, who: str
) -> Policy:
    """Store the project's policy and check every stack of the project against it now."""
    policy = parse_policy(source, document)
    now = dt.datetime.now(dt.UTC)
    with write_transaction(engine) as conn:
        conn.execute(delete(project_policies).where(project_policies.c.project == project))
        conn.execute(
            project_policies.insert().values(
                project=project,
                name=policy.name[:128],
                source=source,
                document=document,
                updated_at=now,
                updated_by=who,
            )
        )
        record(conn, who, "policy", project, "*", name=policy.name, source=source)
        _evaluate_all(conn, project)
    return policy


def clear_policy(engine: Engine, project: str, *, who: str) -> bool:
    """Stop checking the project (open findings are resolved); False when it had no policy."""
    with write_transaction(engine) as conn:
        gone = conn.execute(delete(project_policies).where(project_policies.c.project == project))
        if not gone.rowcount:
            return False
        record(conn, who, "policy-removed", project, "*")
        _evaluate_all(conn, project)
    return True


def get_policy(engine: Engine, project: str) -> StoredPolicy | None:
    """The project's policy (name, how it was given, its rules), or None."""
    found = list_policies(engine, [project])
    return found[0] if found else None


def list_policies(engine: Engine, projects: list[str] | None) -> list[StoredPolicy]:
    """The policies of `projects` (None: all), by project."""
    query = select(project_policies).order_by(project_policies.c.project)
    if projects is not None:
        query = query.where(project_policies.c.project.in_(projects))
    with engine.connect() as conn:
        return [_policy(row) for row in conn.execute(query).all()]


def _policy(row: Row[Any]) -> StoredPolicy:
    policy = parse_policy(row.source, row.document)
    return StoredPolicy(
        project=row.project,
        name=policy.name,
        source=row.source,
        document=row.document,
        rules=[rule.id for rule in policy.rules],
        updated_at=aware(row.updated_at),
        updated_by=row.updated_by,
    )


def evaluate_project(engine: Engine, project: str) -> int:
    """Check every stack of the project now; returns how many findings are open."""
    with write_transaction(engine) as conn:
        _evaluate_all(conn, project)
        return int(
            conn.execute(
                select(func.count()).where(
                    compliance_findings.c.project == project,
                    compliance_findings.c.resolved_at.is_(None),
                )
            ).scalar_one()
        )


def _evaluate_all(conn: Connection, project: str) -> None:
    names = set(conn.execute(select(stacks.c.name).where(stacks.c.project == project)).scalars())
    names |= set(
        conn.execute(
            select(compliance_findings.c.stack).where(
                compliance_findings.c.project == project,
                compliance_findings.c.resolved_at.is_(None),
            )
        ).scalars()
    )
    for name in sorted(names):
        # Hold the stack row as a state write does, so the two never evaluate one stack at once.
        conn.execute(
            select(stacks.c.id)
            .where(stacks.c.project == project, stacks.c.name == name)
            .with_for_update()
        )
        evaluate_stack(conn, project, name)


def evaluate_stack(conn: Connection, project: str, stack: str) -> None:
    """Check one stack's inventory inside the caller's transaction; open and close findings."""
    policy_row = conn.execute(
        select(project_policies).where(project_policies.c.project == project)
    ).first()
    policy = None
    if policy_row is not None:
        try:
            policy = parse_policy(policy_row.source, policy_row.document)
        except BadRequest as exc:
            # A policy this release cannot read (a preset since renamed, say) must never block
            # a Terraform state write: keep the findings as they are and say why.
            _log.warning("project %s: policy not applied to %s: %s", project, stack, exc.message)
            return
    failing = _failing(conn, project, stack, policy) if policy is not None else {}
    now = dt.datetime.now(dt.UTC)
    open_rows = open_periods(conn, FINDING_PERIODS, project, stacks=[stack])
    record_seen(conn, FINDING_PERIODS, project, open_rows, failing, now=now)
    passing = [row for key, row in open_rows.items() if key not in failing]
    close_periods(conn, FINDING_PERIODS, passing, now=now)


def check_stack(engine: Engine, project: str, stack: str) -> PolicyReport | None:
    """The project's policy checked against the stack's inventory now, read-only (None: no policy).

    The same check a state write runs; the dashboard shows it to say why each rule passes or fails.
    """
    with engine.connect() as conn:
        row = conn.execute(
            select(project_policies).where(project_policies.c.project == project)
        ).first()
        if row is None:
            return None
        return _check(conn, project, stack, parse_policy(row.source, row.document))


def _check(conn: Connection, project: str, stack: str, policy: Policy) -> PolicyReport:
    rows = conn.execute(
        select(resources).where(resources.c.project == project, resources.c.stack == stack)
    ).all()
    checked = [
        ResourcePlacement(
            address=r.address,
            type=r.type,
            provider=r.provider,
            region=r.region,
            resolution="bridge inventory (stack placement or the resource's region)",
            unresolved=None if r.provider and r.region else "provider or region unknown",
        )
        for r in rows
        if provider_source(r.terraform_provider) not in UTILITY_PROVIDERS
    ]
    return check_resources(
        catalog(), checked, policy=policy, source=f"bridge inventory {project}/{stack}"
    )


def _failing(
    conn: Connection, project: str, stack: str, policy: Policy
) -> dict[tuple[Any, ...], dict[str, Any]]:
    """(stack, address, rule id) -> the finding's columns, for every rule that FAILS now."""
    report = _check(conn, project, stack, policy)
    failing: dict[tuple[Any, ...], dict[str, Any]] = {}
    for entry in report.resources:
        for finding in entry.findings:
            if finding.outcome is Outcome.FAIL:
                failing[(stack, entry.address, finding.rule_id)] = {
                    "type": entry.type,
                    "criterion": finding.criterion[:256],
                    "message": finding.message,
                    "provider": entry.provider,
                    "region": entry.region,
                    "country": entry.country,
                }
    return failing


def query_findings(
    engine: Engine,
    projects: list[str] | None,
    *,
    state: Literal["open", "resolved"] | None = None,
    project: str | None = None,
    stack: str | None = None,
    limit: int = 100,
    offset: int = 0,
    after: str | None = None,
) -> Page[PolicyFinding]:
    """Findings, newest first; `state` open = the rule still fails, resolved = it passes again."""
    return period_page(
        engine,
        FINDING_PERIODS,
        projects,
        is_open=None if state is None else state == "open",
        filters={"project": project, "stack": stack},
        limit=limit,
        offset=offset,
        after=after,
    ).map(_finding)


def _finding(row: Row[Any]) -> PolicyFinding:
    return PolicyFinding(
        project=row.project,
        stack=row.stack,
        address=row.address,
        type=row.type,
        rule_id=row.rule_id,
        criterion=row.criterion,
        message=row.message,
        provider=row.provider,
        region=row.region,
        country=row.country,
        state="open" if row.resolved_at is None else "resolved",
        first_seen_at=aware(row.first_seen_at),
        last_seen_at=aware(row.last_seen_at),
        resolved_at=aware(row.resolved_at) if row.resolved_at else None,
    )
