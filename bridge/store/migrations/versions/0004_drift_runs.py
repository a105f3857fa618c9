"""Drift runs, the stacks of each run, and per-resource drift history (periods).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_NAME = sa.String(128)


def upgrade() -> None:
    op.create_table(
        "drift_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project", _NAME, nullable=False),
        sa.Column("run_id", sa.String(128), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("exit_code", sa.Integer, nullable=False),
        sa.Column("stacks", sa.Integer, nullable=False),
        sa.Column("resources_drifted", sa.Integer, nullable=False),
        sa.Column("token_id", sa.String(64), nullable=False),
        sa.Column("report", sa.Text, nullable=False),
        sa.UniqueConstraint("project", "run_id", name="uq_drift_runs_project_run"),
    )
    op.create_index("ix_drift_runs_project", "drift_runs", ["project", "id"])
    op.create_table(
        "drift_run_stacks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("run", sa.Integer, sa.ForeignKey("drift_runs.id"), nullable=False),
        sa.Column("project", _NAME, nullable=False),
        sa.Column("stack", _NAME, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("provider", sa.String(64), nullable=True),
        sa.Column("region", sa.String(64), nullable=True),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("resources_drifted", sa.Integer, nullable=False),
    )
    op.create_index("ix_drift_run_stacks_stack", "drift_run_stacks", ["project", "stack", "run"])
    op.create_table(
        "drift_periods",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project", _NAME, nullable=False),
        sa.Column("stack", _NAME, nullable=False),
        sa.Column("address", sa.Text, nullable=False),
        sa.Column("type", sa.String(128), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("ignored", sa.Boolean, nullable=False),
        sa.Column("provider", sa.String(64), nullable=True),
        sa.Column("region", sa.String(64), nullable=True),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("first_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_run", sa.Integer, sa.ForeignKey("drift_runs.id"), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_run", sa.Integer, sa.ForeignKey("drift_runs.id"), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_run", sa.Integer, sa.ForeignKey("drift_runs.id"), nullable=True),
    )
    op.create_index("ix_drift_periods_resource", "drift_periods", ["project", "stack", "address"])
    op.create_index("ix_drift_periods_open", "drift_periods", ["project", "resolved_at"])


def downgrade() -> None:
    op.drop_table("drift_periods")
    op.drop_table("drift_run_stacks")
    op.drop_table("drift_runs")
