"""Outcomes and findings: what one rule says about one placement, and why."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Finding", "Outcome", "worst"]


class Outcome(str, enum.Enum):
    """The verdict of a rule; UNKNOWN means the catalog cannot prove either way."""

    PASS = "pass"
    UNKNOWN = "unknown"
    FAIL = "fail"

    @property
    def rank(self) -> int:
        """Severity order: pass < unknown < fail."""
        return _RANK[self]


_RANK = {Outcome.PASS: 0, Outcome.UNKNOWN: 1, Outcome.FAIL: 2}


def worst(outcomes: Iterable[Outcome]) -> Outcome:
    """The most severe outcome (FAIL over UNKNOWN over PASS); PASS when there is none."""
    return max(outcomes, key=lambda o: o.rank, default=Outcome.PASS)


@dataclass(frozen=True)
class Finding:
    """What one rule found about one placement: the outcome and a message saying why."""

    rule_id: str
    outcome: Outcome
    message: str
    criterion: str
