"""`stacks.resource_count`: each stack's number of inventory rows, kept with the rows.

Stack listings (`GET /v1/stacks`, one stack's summary, the dashboard) counted every inventory
row of every stack, grouped by stack, on each call: 14 ms at 100,000 resources on PostgreSQL
here, growing with the estate. The indexer now writes the count in the transaction that writes
the rows (and a state's delete sets it to 0), so a listing reads one column. Filled here from
the rows as they are.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stacks") as batch:
        batch.add_column(
            sa.Column("resource_count", sa.Integer, nullable=False, server_default="0")
        )
    op.execute(
        "UPDATE stacks SET resource_count = "
        "(SELECT count(*) FROM resources WHERE resources.stack_id = stacks.id)"
    )


def downgrade() -> None:
    with op.batch_alter_table("stacks") as batch:
        batch.drop_column("resource_count")
