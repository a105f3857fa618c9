"""Errors of the drift engine: each one a FedstackError with a message a user can act on."""

from __future__ import annotations

from fedstack.errors import FedstackError

__all__ = ["BridgeError", "DriftError", "IgnoreRulesError", "PlanFormatError", "StackMetadataError"]


class DriftError(FedstackError):
    """A drift check cannot run as asked (no stacks found, a bad option)."""


class PlanFormatError(DriftError):
    """A plan JSON document fedstack cannot read (unknown format_version, wrong shape)."""


class IgnoreRulesError(DriftError):
    """The ignore-rules file is missing or malformed: the message names the file and the rule."""


class StackMetadataError(DriftError):
    """A stack's fedstack.json is malformed or names a provider or region the catalog lacks."""


class BridgeError(DriftError):
    """The bridge could not be reached or refused the drift run."""
