"""The policy engine's error: a policy file or preset that cannot be used, named with its key."""

from __future__ import annotations

from fedstack.errors import FedstackError

__all__ = ["PlanError", "PolicyError"]


class PolicyError(FedstackError):
    """A policy (preset name or YAML file) cannot be loaded; the message names the file and key."""


class PlanError(FedstackError):
    """A Terraform/OpenTofu plan JSON cannot be read (not JSON, not a plan, unknown format)."""
