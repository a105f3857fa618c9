"""Index the inventory in listing order (project, stack, address), and by stack name alone.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_resources_project_stack", table_name="resources")
    op.create_index("ix_resources_listing", "resources", ["project", "stack", "address", "id"])
    op.create_index("ix_resources_stack", "resources", ["stack"])


def downgrade() -> None:
    op.drop_index("ix_resources_stack", table_name="resources")
    op.drop_index("ix_resources_listing", table_name="resources")
    op.create_index("ix_resources_project_stack", "resources", ["project", "stack"])
