"""The policy engine's error: a policy file or preset that cannot be used, named with its key."""

from __future__ import annotations

from fedstack.contracts import PlanFormatError
from fedstack.errors import FedstackError

__all__ = ["PlanError", "PolicyError"]


class PolicyError(FedstackError):
    """A policy (preset name or YAML file) cannot be loaded; the message names the file and key."""


PlanError = PlanFormatError
"""A plan JSON that cannot be read: the contracts' PlanFormatError (the drift engine's too)."""
