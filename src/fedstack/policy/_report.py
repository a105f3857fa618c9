"""The policy report: one pydantic model, rendered by `fedstack.reports.policy`.

The same shape serves a plan check and (later) a check of the bridge inventory.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, Field

from fedstack.catalog import Catalog
from fedstack.policy._outcome import Outcome, worst
from fedstack.policy._policy import Policy
from fedstack.policy._resolve import ResourcePlacement, Skipped
from fedstack.policy._subject import Subject

__all__ = [
    "FindingEntry",
    "PolicyReport",
    "ResourceEntry",
    "RuleEntry",
    "SkippedEntry",
    "check_resources",
]

SCHEMA_VERSION: Literal[1] = 1


class FindingEntry(BaseModel):
    """One rule's finding for one resource."""

    rule_id: str
    outcome: Outcome
    message: str
    criterion: str


class ResourceEntry(BaseModel):
    """One resource, where it lives, how that was found, and the rules' findings."""

    address: str
    type: str
    provider: str | None
    region: str | None
    country: str | None
    outcome: Outcome
    resolution: str = Field(description="How provider and region were found")
    unresolved: str | None = Field(default=None, description="Why they could not be found")
    findings: list[FindingEntry] = Field(default_factory=list)


class SkippedEntry(BaseModel):
    """A resource left out of the check because it holds no data anywhere."""

    address: str
    type: str
    reason: str


class RuleEntry(BaseModel):
    """A rule of the policy as it was applied."""

    id: str
    title: str
    rationale: str
    criterion: str
    parameters: dict[str, object]


class PolicyReport(BaseModel):
    """The result of checking resources against a policy (versioned by `schema_version`)."""

    schema_version: Literal[1] = SCHEMA_VERSION
    kind: Literal["policy-check"] = "policy-check"
    generated_at: dt.datetime
    source: str = Field(description="What was checked: a plan file, or the bridge inventory")
    policy: str
    policy_description: str
    strict: bool = False
    rules: list[RuleEntry]
    resources: list[ResourceEntry]
    skipped: list[SkippedEntry] = Field(default_factory=list)

    @property
    def outcome(self) -> Outcome:
        """The worst outcome over every resource (PASS when there are none)."""
        return worst(r.outcome for r in self.resources)

    def count(self, outcome: Outcome) -> int:
        """How many resources ended with `outcome`."""
        return sum(1 for r in self.resources if r.outcome is outcome)

    @property
    def unresolved(self) -> list[ResourceEntry]:
        """Resources whose provider or region could not be resolved."""
        return [r for r in self.resources if r.unresolved]

    def exit_code(self) -> int:
        """0 all pass, 2 a rule failed (or, with strict, anything unknown or unresolved)."""
        if self.outcome is Outcome.FAIL:
            return 2
        if self.strict and self.outcome is Outcome.UNKNOWN:
            return 2
        return 0


def check_resources(
    catalog: Catalog,
    resources: Iterable[ResourcePlacement],
    *,
    policy: Policy,
    source: str,
    skipped: Iterable[Skipped] = (),
    strict: bool = False,
) -> PolicyReport:
    """Check resources whose provider and region are known (or not) against a policy.

    The plan check and, later, the bridge inventory call this with their own resources.
    """
    entries = [_entry(catalog, policy, r) for r in resources]
    return PolicyReport(
        generated_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
        source=source,
        policy=policy.name,
        policy_description=policy.description,
        strict=strict,
        rules=[
            RuleEntry(
                id=r.id,
                title=r.title,
                rationale=r.rationale,
                criterion=r.criterion,
                parameters=r.parameters(),
            )
            for r in policy.rules
        ],
        resources=entries,
        skipped=[SkippedEntry(address=s.address, type=s.type, reason=s.reason) for s in skipped],
    )


def _entry(catalog: Catalog, policy: Policy, resource: ResourcePlacement) -> ResourceEntry:
    subject = Subject.resolve(catalog, resource.provider, resource.region, resource.capability)
    # An unresolved resource gets no rule findings: one UNKNOWN saying why is clearer.
    check = policy.check_subject(subject) if resource.unresolved is None else None
    return ResourceEntry(
        address=resource.address,
        type=resource.type,
        provider=resource.provider,
        region=resource.region,
        country=subject.country,
        resolution=resource.resolution,
        unresolved=resource.unresolved,
        outcome=check.outcome if check else Outcome.UNKNOWN,
        findings=[
            FindingEntry(
                rule_id=f.rule_id, outcome=f.outcome, message=f.message, criterion=f.criterion
            )
            for f in (check.findings if check else [])
        ],
    )
