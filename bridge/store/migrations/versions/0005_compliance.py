"""Project policies and live-state policy findings (with history like drift).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_NAME = sa.String(128)


def upgrade() -> None:
    op.create_table(
        "project_policies",
        sa.Column("project", _NAME, primary_key=True),
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
    )
    op.create_table(
        "compliance_findings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project", _NAME, nullable=False),
        sa.Column("stack", _NAME, nullable=False),
        sa.Column("address", sa.Text, nullable=False),
        sa.Column("type", sa.String(128), nullable=False),
        sa.Column("rule_id", sa.String(128), nullable=False),
        sa.Column("criterion", sa.String(256), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("provider", sa.String(64), nullable=True),
        sa.Column("region", sa.String(64), nullable=True),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index(
        "ix_compliance_findings_stack", "compliance_findings", ["project", "stack", "resolved_at"]
    )


def downgrade() -> None:
    op.drop_table("compliance_findings")
    op.drop_table("project_policies")
