"""PostgreSQL: a trigram index on the inventory's search text, so `q=` does not scan every row.

`GET /v1/inventory?q=` is a substring match (`search LIKE '%text%'`); a GIN index with pg_trgm's
`gin_trgm_ops` serves it. pg_trgm ships with PostgreSQL (contrib) and is a trusted extension, so a
database owner may create it; where it cannot be created the index is skipped with a warning and
queries stay correct, only slower. SQLite keeps the scan (no index serves a leading wildcard).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_log = logging.getLogger("fedstack.bridge.migrations")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    savepoint = bind.begin_nested()
    try:
        bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError as exc:
        savepoint.rollback()
        _log.warning(
            "pg_trgm is not available (%s): inventory text search runs without an index (correct,"
            " slower). To add it: install PostgreSQL's contrib package, have a superuser run"
            " 'CREATE EXTENSION pg_trgm' in this database, then 'CREATE INDEX"
            " ix_resources_search_trgm ON resources USING gin (search gin_trgm_ops)'",
            str(exc.orig).strip().splitlines()[0],
        )
        return
    savepoint.commit()
    op.execute("CREATE INDEX ix_resources_search_trgm ON resources USING gin (search gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_resources_search_trgm")
