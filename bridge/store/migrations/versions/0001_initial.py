"""Initial schema: stacks, state versions, locks, tokens, audit log, inventory.

Revision ID: 0001
Revises:
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "stacks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project", sa.String(128), nullable=False),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.Column("current_version", sa.Integer, nullable=True),
        sa.Column("last_version", sa.Integer, nullable=False),
        sa.Column("encrypted", sa.Boolean, nullable=False),
        sa.Column("provider", sa.String(64), nullable=True),
        sa.Column("region", sa.String(64), nullable=True),
        sa.UniqueConstraint("project", "name", name="uq_stacks_project_name"),
    )
    op.create_table(
        "state_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("stack_id", sa.Integer, sa.ForeignKey("stacks.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("serial", sa.BigInteger, nullable=True),
        sa.Column("lineage", sa.String(128), nullable=True),
        sa.Column("encrypted", sa.Boolean, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("md5", sa.String(32), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("body", sa.LargeBinary, nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("restored_from", sa.Integer, nullable=True),
        sa.UniqueConstraint("stack_id", "version", name="uq_state_versions_stack_version"),
    )
    op.create_table(
        "locks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project", sa.String(128), nullable=False),
        sa.Column("stack", sa.String(128), nullable=False),
        sa.Column("lock_id", sa.String(256), nullable=False),
        sa.Column("info", sa.Text, nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("token_id", sa.String(64), nullable=False),
        sa.UniqueConstraint("project", "stack", name="uq_locks_project_stack"),
    )
    op.create_table(
        "tokens",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("project", sa.String(128), nullable=False),
        sa.Column("scope", sa.String(32), nullable=False),
        sa.Column("secret_sha256", sa.String(64), nullable=False),
        sa.Column("description", sa.String(256), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("revoked_at", _TS, nullable=True),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", _TS, nullable=False),
        sa.Column("token_id", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("project", sa.String(128), nullable=False),
        sa.Column("stack", sa.String(128), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_table(
        "resources",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("stack_id", sa.Integer, sa.ForeignKey("stacks.id"), nullable=False),
        sa.Column("project", sa.String(128), nullable=False),
        sa.Column("stack", sa.String(128), nullable=False),
        sa.Column("address", sa.Text, nullable=False),
        sa.Column("type", sa.String(128), nullable=False),
        sa.Column("name", sa.String(256), nullable=False),
        sa.Column("module", sa.Text, nullable=False),
        sa.Column("index_key", sa.Text, nullable=True),
        sa.Column("terraform_provider", sa.String(128), nullable=False),
        sa.Column("provider", sa.String(64), nullable=True),
        sa.Column("region", sa.String(64), nullable=True),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("attributes", sa.Text, nullable=False),
        sa.Column("search", sa.Text, nullable=False),
    )
    op.create_index("ix_resources_stack_id", "resources", ["stack_id"])
    op.create_index("ix_resources_provider", "resources", ["provider"])
    op.create_index("ix_resources_region", "resources", ["region"])
    op.create_index("ix_resources_country", "resources", ["country"])
    op.create_index("ix_resources_type", "resources", ["type"])
    op.create_index("ix_resources_project_stack", "resources", ["project", "stack"])


def downgrade() -> None:
    for table in ("resources", "audit", "tokens", "locks", "state_versions", "stacks"):
        op.drop_table(table)
