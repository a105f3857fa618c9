"""Errors of the drift engine: each one a FedstackError with a message a user can act on.

PlanFormatError and StackMetadataError are the contracts' own (`fedstack.contracts`): the
policy check and the CDK layer raise the same classes for the same documents.
"""

from __future__ import annotations

from fedstack.contracts import PlanFormatError, StackMetadataError
from fedstack.errors import FedstackError

__all__ = ["DriftError", "IgnoreRulesError", "PlanFormatError", "StackMetadataError"]


class DriftError(FedstackError):
    """A drift check cannot run as asked (no stacks found, a bad option)."""


class IgnoreRulesError(DriftError):
    """The ignore-rules file is missing or malformed: the message names the file and the rule."""
