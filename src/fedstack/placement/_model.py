"""What placement takes (a component's requirements) and gives (a decision with its reasons)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from fedstack.errors import FedstackError

__all__ = [
    "STAGES",
    "Candidate",
    "ComponentRequest",
    "Decision",
    "PlacementError",
    "Reason",
    "Requirements",
]

Stage = Literal["capability", "offering", "requirement", "policy"]
STAGES: tuple[Stage, ...] = ("capability", "offering", "requirement", "policy")
"""The order candidates are filtered in; the stage that empties the list is the one named."""


class PlacementError(FedstackError):
    """No provider and region satisfy a component (or the workload's spread); names the constraint."""

    def __init__(self, message: str, decisions: list[Decision] | None = None) -> None:
        super().__init__(message)
        self.decisions = decisions or []


@dataclass(frozen=True)
class Requirements:
    """What a component asks of its placement; empty means no constraint."""

    size: str | None = None
    image: str | None = None
    countries: tuple[str, ...] | None = None
    prefer: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    not_with: tuple[str, ...] = ()
    provider: str | None = None
    region: str | None = None


@dataclass(frozen=True)
class ComponentRequest:
    """One component of a workload: its name, capability and requirements.

    `with_component` names a component it must share provider and region with (an instance
    and its network).
    """

    name: str
    capability: str
    requirements: Requirements = field(default_factory=Requirements)
    with_component: str | None = None


@dataclass(frozen=True)
class Reason:
    """Why a candidate was refused: the stage, the rule or requirement, and a sentence."""

    stage: Stage
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.stage} {self.rule}: {self.message}"


@dataclass(frozen=True)
class Candidate:
    """One provider+region considered for a component, refused when it has reasons."""

    provider: str
    region: str
    country: str
    reasons: tuple[Reason, ...] = ()

    @property
    def accepted(self) -> bool:
        """True when nothing refused the candidate."""
        return not self.reasons


@dataclass(frozen=True)
class Decision:
    """The placement of one component: the choice (None when impossible), why, and every candidate."""

    component: str
    capability: str
    provider: str | None
    region: str | None
    country: str | None
    why: str
    candidates: tuple[Candidate, ...]
    pinned: bool = False
    policy_warnings: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """A plain-JSON form for `plan-placement --json` and the synth output."""
        # Written by hand: dataclasses.asdict deep-copies every field, slow for big apps.
        return {
            "component": self.component,
            "capability": self.capability,
            "provider": self.provider,
            "region": self.region,
            "country": self.country,
            "why": self.why,
            "pinned": self.pinned,
            "policy_warnings": list(self.policy_warnings),
            "candidates": [
                {
                    "provider": c.provider,
                    "region": c.region,
                    "country": c.country,
                    "reasons": [
                        {"stage": r.stage, "rule": r.rule, "message": r.message} for r in c.reasons
                    ],
                }
                for c in self.candidates
            ],
        }
