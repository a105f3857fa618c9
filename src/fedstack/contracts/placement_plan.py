"""`placement.json`: every placement decision of a synth, with each refused candidate's reasons.

Written by the CDK layer (`FederatedApp.plan_placement()` and every synth), read by `fedstack
plan-placement` and the demo. Field order is the JSON's order (`plan-placement --json`).
Pure data: no cdktf, no I/O beyond reading one file.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from fedstack.contracts.errors import ContractError

__all__ = [
    "CandidateRecord",
    "DecisionRecord",
    "PlacementPlan",
    "ReasonRecord",
    "WorkloadPlan",
    "read_placement_plan",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReasonRecord(_Model):
    """Why a candidate was refused: the stage, the rule or requirement, and a sentence."""

    stage: str
    rule: str
    message: str


class CandidateRecord(_Model):
    """One provider+region considered for a component (refused when it has reasons)."""

    provider: str
    region: str
    country: str
    reasons: list[ReasonRecord] = Field(default_factory=list)


class DecisionRecord(_Model):
    """The placement of one component: the choice (provider None when impossible) and why."""

    component: str
    capability: str
    provider: str | None
    region: str | None
    country: str | None
    why: str
    pinned: bool = False
    policy_warnings: list[str] = Field(default_factory=list)
    candidates: list[CandidateRecord] = Field(default_factory=list)


class WorkloadPlan(_Model):
    """One workload's decisions, in the order its components were placed."""

    workload: str
    spread: int
    decisions: list[DecisionRecord] = Field(default_factory=list)


class PlacementPlan(_Model):
    """Every workload of an app under its policy."""

    project: str
    policy: str
    workloads: list[WorkloadPlan] = Field(default_factory=list)

    def decisions(self) -> list[tuple[str, DecisionRecord]]:
        """(workload, decision) for every decision, in placement order."""
        return [(w.workload, d) for w in self.workloads for d in w.decisions]


def read_placement_plan(file: Path) -> PlacementPlan:
    """The plan in `file`; ContractError names the file when it is not a placement plan."""
    try:
        return PlacementPlan.model_validate_json(file.read_bytes())
    except (OSError, ValueError) as exc:
        raise ContractError(f"{file}: not a placement plan: {exc}") from None
