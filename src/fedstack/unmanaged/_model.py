"""The unmanaged report: what was found at the providers that no stack manages, and how each
provider was covered. One versioned schema; every format is rendered from it, the bridge stores it.

Pure data: must not import boto3, the web framework or cdktf.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "KINDS",
    "SCHEMA_VERSION",
    "Finding",
    "ProviderOutcome",
    "Scope",
    "UnmanagedReport",
    "UnmanagedSummary",
    "read_report",
    "report_document",
]

SCHEMA_VERSION: Literal[1] = 1
"""Version of the report JSON; the bridge refuses other versions."""

KINDS = ("object_storage", "compute", "network", "dns_record")
"""Capabilities `fedstack unmanaged` can enumerate (catalog capability names)."""

Kind = Literal["object_storage", "compute", "network", "dns_record"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Finding(_Model):
    """One resource at a provider that no stack in the bridge's inventory manages."""

    provider: str
    region: str = Field(description="Catalog region, or `global` for a global service (DNS)")
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2; null when unknown")
    kind: Kind
    resource_type: str = Field(description="The Terraform resource type that would manage it")
    identifier: str = Field(description="What identifies it at the provider (bucket name, id, ...)")
    import_id: str = Field(description="The id a Terraform `import` block takes")
    address: str = Field(description="<provider>/<region>/<resource_type>/<identifier>")
    import_block: str = Field(description="Terraform 1.5+ import block and resource skeleton")
    ignored: bool = False
    ignore_reason: str | None = None


class Scope(_Model):
    """One provider, region and kind that was enumerated completely (what `gone` is judged on)."""

    provider: str
    region: str
    kind: Kind


class ProviderOutcome(_Model):
    """How one provider was covered: checked, skipped (no credentials) or failed (its API)."""

    provider: str
    status: Literal["checked", "skipped", "error"]
    message: str = ""
    scopes: list[Scope] = Field(default_factory=list)
    not_covered: list[str] = Field(
        default_factory=list, description="Asked-for kinds this provider's enumeration lacks"
    )


class UnmanagedSummary(_Model):
    """Counts over the report."""

    providers_checked: int
    providers_skipped: int
    providers_failed: int
    found: int
    ignored: int


class UnmanagedReport(_Model):
    """One `fedstack unmanaged` run."""

    schema_version: Literal[1] = SCHEMA_VERSION
    run_id: str = Field(min_length=1, max_length=128)
    started_at: dt.datetime
    finished_at: dt.datetime
    fedstack_version: str
    providers: list[ProviderOutcome]
    findings: list[Finding]
    expired_rules: list[str] = Field(default_factory=list)

    @property
    def open_findings(self) -> list[Finding]:
        """Findings not covered by an ignore rule."""
        return [f for f in self.findings if not f.ignored]

    @property
    def summary(self) -> UnmanagedSummary:
        """Counts of providers per outcome and of findings."""
        return UnmanagedSummary(
            providers_checked=sum(p.status == "checked" for p in self.providers),
            providers_skipped=sum(p.status == "skipped" for p in self.providers),
            providers_failed=sum(p.status == "error" for p in self.providers),
            found=len(self.open_findings),
            ignored=sum(f.ignored for f in self.findings),
        )

    @property
    def exit_code(self) -> int:
        """1 when a provider failed (an error outranks findings), 2 when something was found, else 0."""
        if any(p.status == "error" for p in self.providers):
            return 1
        return 2 if self.open_findings else 0

    @property
    def status(self) -> str:
        """`error`, `found` or `clean`, as the exit code says."""
        return {0: "clean", 1: "error", 2: "found"}[self.exit_code]


_DERIVED = ("status", "exit_code", "summary")


def report_document(report: UnmanagedReport) -> dict[str, object]:
    """The report as JSON-ready data, with its status, exit code and summary spelled out."""
    return {
        **report.model_dump(mode="json"),
        "status": report.status,
        "exit_code": report.exit_code,
        "summary": report.summary.model_dump(),
    }


def read_report(document: dict[str, object]) -> UnmanagedReport:
    """The report back from `report_document` output (derived fields are recomputed, not trusted)."""
    return UnmanagedReport.model_validate({k: v for k, v in document.items() if k not in _DERIVED})
