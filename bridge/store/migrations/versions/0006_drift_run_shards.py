"""Shards of a sharded drift run (a run group): one row per shard that reported.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "drift_run_shards",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("project", sa.String(128), nullable=False),
        sa.Column("run_group", sa.String(128), nullable=False),
        sa.Column("shard_index", sa.Integer, nullable=False),
        sa.Column("shard_count", sa.Integer, nullable=False),
        sa.Column("run", sa.Integer, sa.ForeignKey("drift_runs.id"), nullable=False),
        sa.Column("exit_code", sa.Integer, nullable=False),
        sa.Column("events", sa.Text, nullable=False),
        sa.UniqueConstraint("project", "run_group", "shard_index", name="uq_drift_run_shards"),
    )


def downgrade() -> None:
    op.drop_table("drift_run_shards")
