"""Unmanaged runs and findings: resources at providers no stack manages, with history.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_NAME = sa.String(128)


def upgrade() -> None:
    op.create_table(
        "unmanaged_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project", _NAME, nullable=False),
        sa.Column("run_id", sa.String(128), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("exit_code", sa.Integer, nullable=False),
        sa.Column("found", sa.Integer, nullable=False),
        sa.Column("token_id", sa.String(64), nullable=False),
        sa.Column("report", sa.Text, nullable=False),
        sa.UniqueConstraint("project", "run_id", name="uq_unmanaged_runs_project_run"),
    )
    op.create_table(
        "unmanaged_findings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project", _NAME, nullable=False),
        sa.Column("address", sa.Text, nullable=False),
        sa.Column("provider", sa.String(64), nullable=False),
        sa.Column("region", sa.String(64), nullable=False),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("resource_type", sa.String(128), nullable=False),
        sa.Column("identifier", sa.Text, nullable=False),
        sa.Column("ignored", sa.Boolean, nullable=False),
        sa.Column("import_block", sa.Text, nullable=False),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_run", sa.Integer, sa.ForeignKey("unmanaged_runs.id"), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_run", sa.Integer, sa.ForeignKey("unmanaged_runs.id"), nullable=False),
        sa.Column("gone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("gone_run", sa.Integer, sa.ForeignKey("unmanaged_runs.id"), nullable=True),
    )
    op.create_index("ix_unmanaged_findings_open", "unmanaged_findings", ["project", "gone_at"])


def downgrade() -> None:
    op.drop_table("unmanaged_findings")
    op.drop_table("unmanaged_runs")
