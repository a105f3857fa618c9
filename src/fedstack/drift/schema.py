"""The drift report: one versioned schema (pydantic) that every report format is rendered from.

Bump SCHEMA_VERSION on any change a consumer could notice (a renamed or removed field, a new
meaning); adding an optional field keeps the version. Pure data: no Terraform, no web framework.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from fedstack.contracts import MASK, must_mask

__all__ = [
    "MASK",
    "SCHEMA_VERSION",
    "AttributeChange",
    "DriftKind",
    "DriftReport",
    "ExpiredRule",
    "FailOn",
    "ResourceDrift",
    "Scalar",
    "Shard",
    "SourceLocation",
    "StackResult",
    "StackStatus",
    "Summary",
    "masked",
]

SCHEMA_VERSION: Literal[1] = 1
"""Version of the report JSON; consumers check it before reading anything else."""


Scalar = str | int | float | bool | None
DriftKind = Literal["update", "delete"]
StackStatus = Literal["in_sync", "drift", "error"]
FailOn = Literal["drift", "error", "never"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AttributeChange(_Model):
    """One leaf attribute that changed out of band, by flattened path such as `tags.owner`."""

    path: str
    before: Scalar = Field(description="Value in the last applied state; null when absent")
    after: Scalar = Field(description="Value found now; null when absent")
    sensitive: bool = False
    ignored: bool = False
    ignore_reason: str | None = None


class SourceLocation(_Model):
    """Where a resource (or the module call holding it) is declared: a file and a 1-based line."""

    file: str
    line: int = 1


class ResourceDrift(_Model):
    """A managed resource whose real state no longer matches the last applied state."""

    address: str
    type: str
    name: str
    module: str | None = None
    terraform_provider: str
    kind: DriftKind = Field(description="update: changed out of band; delete: gone out of band")
    provider: str | None = Field(default=None, description="fedstack catalog provider")
    region: str | None = None
    country: str | None = None
    changes: list[AttributeChange] = Field(default_factory=list)
    ignored: bool = False
    ignore_reason: str | None = None
    first_seen_drifting: dt.datetime | None = Field(
        default=None, description="Filled in by the bridge, which keeps drift history"
    )
    location: SourceLocation | None = None


class StackResult(_Model):
    """The drift check of one stack: in sync, drifted (with resources), or failed (with a reason)."""

    name: str
    project: str | None = Field(
        default=None,
        description="The stack's project, from its backend address or fedstack.json (its identity is project/name)",
    )
    path: str
    file: str = Field(description="The stack's main configuration file, for report locations")
    source: Literal["folder", "cdktf"]
    provider: str | None = None
    region: str | None = None
    country: str | None = None
    status: StackStatus
    error: str | None = None
    duration_seconds: float
    resources_checked: list[str] = Field(
        default_factory=list, description="Addresses of the managed resources refreshed"
    )
    drift: list[ResourceDrift] = Field(default_factory=list)
    merged: bool = Field(
        default=False, description="Checked in one merged Terraform run with other stacks"
    )
    not_merged_reason: str | None = Field(
        default=None, description="Why the stack was checked on its own (merging was on)"
    )


class ExpiredRule(_Model):
    """An ignore rule past its expiry date: it no longer hides anything."""

    address: str
    attributes: list[str]
    reason: str
    expires: dt.date


class Summary(_Model):
    """Counts over the whole run."""

    stacks: int
    in_sync: int
    drifted: int
    errored: int
    resources_drifted: int
    resources_ignored: int


class Shard(_Model):
    """Which part of a sharded run a report is: shard `index` (1-based) of `count`."""

    index: int = Field(ge=1, le=1000)
    count: int = Field(ge=1, le=1000)


class DriftReport(_Model):
    """One drift run over a set of stacks: the source every report format is rendered from."""

    schema_version: Literal[1] = SCHEMA_VERSION
    run_id: str
    started_at: dt.datetime
    finished_at: dt.datetime
    fedstack_version: str
    terraform_version: str | None = None
    fail_on: FailOn = "drift"
    exit_code: int = Field(
        description="0 in sync, 2 drift found, 1 error, as adjusted by fail_on; 130 interrupted"
    )
    summary: Summary
    stacks: list[StackResult]
    expired_rules: list[ExpiredRule] = Field(default_factory=list)
    interrupted: bool = Field(
        default=False,
        description="Stopped by Ctrl-C: only the stacks that finished before are listed",
    )
    run_group: str | None = Field(
        default=None,
        max_length=128,
        description="Shards of one run share it (`--run-group`, default the CI run id)",
    )
    shard: Shard | None = Field(default=None, description="Set when the run is one shard of many")

    @property
    def status(self) -> StackStatus:
        """error if any stack failed, else drift if any drifted, else in_sync."""
        if self.summary.errored:
            return "error"
        return "drift" if self.summary.drifted else "in_sync"


def masked(report: DriftReport) -> DriftReport:
    """The report with the contracts' masking rule applied to every change not already masked.

    The drift engine masks as it reads a plan; the bridge applies this to every run it
    receives, so a report from any client shows no secret-named value on a page.
    """
    copy = report.model_copy(deep=True)
    for stack in copy.stacks:
        for resource in stack.drift:
            for change in resource.changes:
                key = next((p for p in reversed(change.path.split(".")) if not p.isdigit()), "")
                if must_mask(key, change.before) or must_mask(key, change.after):
                    change.before = MASK if change.before is not None else None
                    change.after = MASK if change.after is not None else None
                    change.sensitive = True
    return copy
