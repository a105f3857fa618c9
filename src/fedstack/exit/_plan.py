"""The exit plan: where each component of an app goes when it leaves a provider, and why.

Compares two placements of the same app by the one placement engine: as it stands, and with
the provider (or one region) excluded. Pure data and comparison; running the app is
`plan_exit`'s job (through `fedstack.stacks.plan_app`, so nothing here imports cdktf).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fedstack.contracts import DecisionRecord, PlacementPlan
from fedstack.errors import FedstackError

__all__ = [
    "Blocked",
    "DataEstimate",
    "ExitBlocked",
    "ExitError",
    "ExitPlan",
    "Move",
    "Stay",
    "build_exit_plan",
    "plan_exit",
]


class ExitError(FedstackError):
    """An exit cannot be planned or carried out (the app does not place, a step failed)."""


@dataclass(frozen=True)
class Move:
    """A component that changes placement; `knock_on` when it sat elsewhere but must follow."""

    workload: str
    component: str
    capability: str
    source: str
    target: str
    why: str
    knock_on: bool = False


@dataclass(frozen=True)
class Stay:
    """A component whose placement does not change."""

    workload: str
    component: str
    capability: str
    at: str


@dataclass(frozen=True)
class Blocked:
    """A component that cannot move: why names the stage and rule that refused every candidate."""

    workload: str
    component: str
    capability: str
    at: str
    why: str


@dataclass(frozen=True)
class DataEstimate:
    """The data of a moving object store: objects and bytes (None when it could not be read)."""

    workload: str
    component: str
    bucket: str | None
    objects: int | None
    bytes: int | None
    note: str = ""


@dataclass
class ExitPlan:
    """What leaving `provider` (or its `region`) means for one app."""

    project: str
    policy: str
    provider: str
    region: str | None
    moves: list[Move] = field(default_factory=list)
    stays: list[Stay] = field(default_factory=list)
    blocked: list[Blocked] = field(default_factory=list)
    data: list[DataEstimate] = field(default_factory=list)
    error: str | None = None

    @property
    def leaving(self) -> str:
        """`provider` or `provider/region`: what is excluded."""
        return f"{self.provider}/{self.region}" if self.region else self.provider

    @property
    def possible(self) -> bool:
        """True when every component at the provider has a new placement under the policy."""
        return not self.blocked and self.error is None

    @property
    def noop(self) -> bool:
        """True when nothing of the app sits at the provider."""
        return self.possible and not self.moves

    def summary(self) -> str:
        """One line: the outcome, naming the rule when something cannot move."""
        if self.blocked:
            first = self.blocked[0]
            return (
                f"cannot leave {self.leaving}: {first.workload}/{first.component} "
                f"({first.capability}) has no placement (policy {self.policy}): {first.why}"
            )
        if self.error:
            return f"cannot leave {self.leaving}: {self.error}"
        if not self.moves:
            return f"nothing of project {self.project} is placed at {self.leaving}: nothing to do"
        total = sum(d.bytes or 0 for d in self.data)
        objects = sum(d.objects or 0 for d in self.data)
        return (
            f"leaving {self.leaving}: {len(self.moves)} move(s), {len(self.stays)} stay(s), "
            f"{objects} object(s) / {total} byte(s) to copy"
        )

    def to_json(self) -> dict[str, Any]:
        """A plain-JSON form for `fedstack exit --json`."""
        return {
            "project": self.project,
            "policy": self.policy,
            "provider": self.provider,
            "region": self.region,
            "possible": self.possible,
            "summary": self.summary(),
            "moves": [vars(m) for m in self.moves],
            "stays": [vars(s) for s in self.stays],
            "cannot_move": [vars(b) for b in self.blocked],
            "data_to_copy": {
                "objects": sum(d.objects or 0 for d in self.data),
                "bytes": sum(d.bytes or 0 for d in self.data),
                "stores": [vars(d) for d in self.data],
            },
            "error": self.error,
        }


def _at(decision: DecisionRecord) -> str:
    return f"{decision.provider}/{decision.region}"


def _sits_at(decision: DecisionRecord, provider: str, region: str | None) -> bool:
    return decision.provider == provider and region in (None, decision.region)


def build_exit_plan(
    current: PlacementPlan,
    after: PlacementPlan | None,
    error: str | None,
    provider: str,
    region: str | None = None,
) -> ExitPlan:
    """Compare the app's placement now with its placement without `provider` (or its region).

    `after` and `error` are what placing the app with the exclusion gave: the decisions so far
    and the error that stopped it (a component with no candidate, a spread that cannot hold).
    """
    plan = ExitPlan(current.project, current.policy, provider, region)
    new: Mapping[tuple[str, str], DecisionRecord] = {
        (w, d.component): d for w, d in (after.decisions() if after else [])
    }
    for workload, old in current.decisions():
        leaving = _sits_at(old, provider, region)
        moved = new.get((workload, old.component))
        if moved is None or moved.provider is None:
            why = moved.why if moved is not None else f"not placed: {error or 'placement stopped'}"
            if leaving or moved is not None:
                plan.blocked.append(Blocked(workload, old.component, old.capability, _at(old), why))
            continue
        if _at(moved) == _at(old):
            plan.stays.append(Stay(workload, old.component, old.capability, _at(old)))
            continue
        plan.moves.append(
            Move(
                workload,
                old.component,
                old.capability,
                _at(old),
                _at(moved),
                moved.why,
                knock_on=not leaving,
            )
        )
    if error and not plan.blocked:
        plan.error = error
    return plan


def plan_exit(
    app: Path,
    provider: str,
    region: str | None = None,
    *,
    env: Mapping[str, str] | None = None,
) -> tuple[ExitPlan, PlacementPlan]:
    """Place `app` as it stands and without `provider`; the exit plan and the current placement."""
    from fedstack.stacks import plan_app

    base = {**(env or {}), "FEDSTACK_EXIT_EXCLUDE": ""}
    current, error = plan_app(app, env=base)
    if current is None or error is not None:
        raise ExitError(f"{app}: the app does not place as it stands: {error}")
    leaving = f"{provider}/{region}" if region else provider
    after, exit_error = plan_app(app, env={**base, "FEDSTACK_EXIT_EXCLUDE": leaving})
    plan = build_exit_plan(
        current, after, str(exit_error) if exit_error else None, provider, region
    )
    return plan, current


class ExitBlocked(ExitError):
    """Some component at the provider has no placement under the policy (exit code 2)."""

    exit_code = 2
