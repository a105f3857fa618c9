"""The bridge's tables (SQLAlchemy 2 Core metadata); Alembic migrations create them.

Must not import the web framework.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

__all__ = [
    "audit",
    "compliance_findings",
    "drift_periods",
    "drift_run_stacks",
    "drift_runs",
    "locks",
    "metadata",
    "project_policies",
    "resources",
    "SQLITE_TEXT_INDEX",
    "stacks",
    "state_versions",
    "tokens",
]

metadata = MetaData()

_NAME = String(128)

stacks = Table(
    "stacks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("project", _NAME, nullable=False),
    Column("name", _NAME, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # The version number of the current state; NULL when the stack is empty or deleted.
    Column("current_version", Integer, nullable=True),
    Column("last_version", Integer, nullable=False, default=0),
    Column("encrypted", Boolean, nullable=False, default=False),
    # Stack metadata: which catalog provider and region the stack runs at.
    Column("provider", String(64), nullable=True),
    Column("region", String(64), nullable=True),
    # The version whose resources the inventory holds (migration 0010): a write acknowledges once
    # the body is durable and the indexer catches up after; NULL with no state indexed.
    Column("indexed_version", Integer, nullable=True),
    # How many inventory rows the stack has (migration 0013), kept by whoever writes them in the
    # same transaction: stack listings read it instead of counting every resource.
    Column("resource_count", Integer, nullable=False, default=0, server_default="0"),
    UniqueConstraint("project", "name", name="uq_stacks_project_name"),
)

state_versions = Table(
    "state_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("stack_id", Integer, ForeignKey("stacks.id"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("serial", BigInteger, nullable=True),
    Column("lineage", String(128), nullable=True),
    Column("encrypted", Boolean, nullable=False),
    Column("size", Integer, nullable=False),
    Column("md5", String(32), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("body", LargeBinary, nullable=False),
    # The FEDSTACK_BRIDGE_KEY key the body is sealed with; NULL when stored in clear.
    Column("key_id", String(16), nullable=True),
    # How the body is compressed under its seal (migration 0012): "zstd", or NULL for as it came.
    Column("codec", String(16), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(64), nullable=False),
    Column("origin", String(16), nullable=False),
    Column("restored_from", Integer, nullable=True),
    # A version number is written once: the unique key makes an overwrite impossible.
    UniqueConstraint("stack_id", "version", name="uq_state_versions_stack_version"),
)

locks = Table(
    "locks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("project", _NAME, nullable=False),
    Column("stack", _NAME, nullable=False),
    Column("lock_id", String(256), nullable=False),
    Column("info", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("token_id", String(64), nullable=False),
    # One row per stack: acquiring a lock is an INSERT, so it holds across bridge replicas.
    UniqueConstraint("project", "stack", name="uq_locks_project_stack"),
)

tokens = Table(
    "tokens",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("project", _NAME, nullable=False),
    Column("scope", String(32), nullable=False),
    Column("secret_sha256", String(64), nullable=False),
    Column("description", String(256), nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    # NULL: never expires (every token made before migration 0009).
    Column("expires_at", DateTime(timezone=True), nullable=True),
)

audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("token_id", String(64), nullable=False),
    Column("action", String(32), nullable=False),
    Column("project", _NAME, nullable=False),
    Column("stack", _NAME, nullable=False),
    Column("detail", Text, nullable=False, default="{}"),
)

resources = Table(
    "resources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("stack_id", Integer, ForeignKey("stacks.id"), nullable=False),
    Column("project", _NAME, nullable=False),
    Column("stack", _NAME, nullable=False),
    Column("address", Text, nullable=False),
    Column("type", String(128), nullable=False),
    Column("name", String(256), nullable=False),
    Column("module", Text, nullable=False),
    Column("index_key", Text, nullable=True),
    Column("terraform_provider", String(128), nullable=False),
    Column("provider", String(64), nullable=True),
    Column("region", String(64), nullable=True),
    Column("country", String(2), nullable=True),
    Column("attributes", Text, nullable=False),
    Column("search", Text, nullable=False),
    Index("ix_resources_stack_id", "stack_id"),
    Index("ix_resources_listing", "project", "stack", "address", "id"),
    # One per filter, in listing order behind it (migration 0010): a filtered page is read off the
    # index in order, its count from the index alone, with no sort of every match.
    *(
        Index(f"ix_resources_{column}_listing", column, "project", "stack", "address", "id")
        for column in ("provider", "region", "country", "type")
    ),
    Index("ix_resources_stack_listing", "stack", "project", "address", "id"),
    Index("ix_resources_provider_type", "provider", "type"),
    # PostgreSQL only (migration 0008): a trigram index serving `q=` substring search.
    Index(
        "ix_resources_search_trgm",
        "search",
        postgresql_using="gin",
        postgresql_ops={"search": "gin_trgm_ops"},
        info={"only_dialect": "postgresql"},
    ).ddl_if(dialect="postgresql"),
)

# Drift runs posted by `fedstack drift --bridge`: the report as received (sensitive values masked).
drift_runs = Table(
    "drift_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("project", _NAME, nullable=False),
    Column("run_id", String(128), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=False),
    Column("status", String(16), nullable=False),
    Column("exit_code", Integer, nullable=False),
    Column("stacks", Integer, nullable=False),
    Column("resources_drifted", Integer, nullable=False),
    Column("token_id", String(64), nullable=False),
    Column("report", Text, nullable=False),
    # A retried POST of the same run must not count twice.
    UniqueConstraint("project", "run_id", name="uq_drift_runs_project_run"),
    Index("ix_drift_runs_project", "project", "id"),
)

# One row per stack of a run: what the stack page and the overview's "last run" read.
drift_run_stacks = Table(
    "drift_run_stacks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("run", Integer, ForeignKey("drift_runs.id"), nullable=False),
    Column("project", _NAME, nullable=False),
    Column("stack", _NAME, nullable=False),
    Column("status", String(16), nullable=False),
    Column("provider", String(64), nullable=True),
    Column("region", String(64), nullable=True),
    Column("country", String(2), nullable=True),
    Column("resources_drifted", Integer, nullable=False),
    Index("ix_drift_run_stacks_stack", "project", "stack", "run"),
)

# Drift history: one row per period a resource was seen drifting; resolved_at NULL while open.
drift_periods = Table(
    "drift_periods",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("project", _NAME, nullable=False),
    Column("stack", _NAME, nullable=False),
    Column("address", Text, nullable=False),
    Column("type", String(128), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("ignored", Boolean, nullable=False),
    Column("provider", String(64), nullable=True),
    Column("region", String(64), nullable=True),
    Column("country", String(2), nullable=True),
    Column("first_seen_at", DateTime(timezone=True), nullable=False),
    Column("first_run", Integer, ForeignKey("drift_runs.id"), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    Column("last_run", Integer, ForeignKey("drift_runs.id"), nullable=False),
    Column("resolved_at", DateTime(timezone=True), nullable=True),
    Column("resolved_run", Integer, ForeignKey("drift_runs.id"), nullable=True),
    Index("ix_drift_periods_resource", "project", "stack", "address"),
    Index("ix_drift_periods_open", "project", "resolved_at"),
)

# The sovereignty policy each project's live state is checked against (none: not checked).
project_policies = Table(
    "project_policies",
    metadata,
    Column("project", _NAME, primary_key=True),
    Column("name", String(128), nullable=False),
    # The policy as given: a preset name, or the YAML document.
    Column("source", String(16), nullable=False),
    Column("document", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(64), nullable=False),
)

# Live-state policy findings, with history like drift: resolved_at NULL while the rule still fails.
compliance_findings = Table(
    "compliance_findings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("project", _NAME, nullable=False),
    Column("stack", _NAME, nullable=False),
    Column("address", Text, nullable=False),
    Column("type", String(128), nullable=False),
    Column("rule_id", String(128), nullable=False),
    Column("criterion", String(256), nullable=False),
    Column("message", Text, nullable=False),
    Column("provider", String(64), nullable=True),
    Column("region", String(64), nullable=True),
    Column("country", String(2), nullable=True),
    Column("first_seen_at", DateTime(timezone=True), nullable=False),
    Column("last_seen_at", DateTime(timezone=True), nullable=False),
    Column("resolved_at", DateTime(timezone=True), nullable=True),
    Index("ix_compliance_findings_stack", "project", "stack", "resolved_at"),
)


SQLITE_TEXT_INDEX = "resources_fts"
"""SQLite only (migration 0010): the FTS5 trigram table over `resources.search`, kept by triggers.

A virtual table and its shadow tables, outside the metadata: Alembic cannot describe them."""


def on_this_dialect(dialect: str) -> Any:
    """An Alembic `include_object` hook that skips objects declared for another database only."""

    def include(obj: Any, name: Any, type_: Any, _reflected: Any, _compare_to: Any) -> bool:
        if type_ == "table" and str(name).startswith(SQLITE_TEXT_INDEX):
            return False
        only = getattr(obj, "info", {}).get("only_dialect")
        return only is None or only == dialect

    return include
