"""Errors of the shared contracts: a file or document that does not match its contract."""

from __future__ import annotations

from fedstack.errors import FedstackError

__all__ = ["ContractError", "ManifestError", "PlanFormatError", "StackMetadataError"]


class ContractError(FedstackError):
    """A document both halves share (stack metadata, manifest, plan JSON) cannot be read."""


class StackMetadataError(ContractError):
    """A stack's fedstack.json is malformed or names a provider or region the catalog lacks."""


class ManifestError(ContractError):
    """A cdktf.out/manifest.json is missing or malformed, or names a stack that was not written."""


class PlanFormatError(ContractError):
    """A `terraform show -json` document fedstack cannot read (not a plan, unknown format_version)."""
