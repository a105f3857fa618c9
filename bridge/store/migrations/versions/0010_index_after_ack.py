"""Body first, index after: `stacks.indexed_version`, text and filter indexes for the inventory.

A state write now acknowledges once the body and its version row are durable; the inventory is
indexed after, by the bridge's indexer, which records the version it indexed in
`stacks.indexed_version`. Every stack migrated here was indexed inside its write, so it starts
indexed through its current version.

SQLite: `GET /v1/inventory?q=` is a substring match that no B-tree index serves; an FTS5 table
with the trigram tokenizer (SQLite 3.34+) over `resources.search`, kept in step by triggers, does.
Where FTS5 or the trigram tokenizer is missing the table is skipped with a warning and queries
stay correct (a scan). PostgreSQL keeps its pg_trgm index (0008).

Both: each inventory filter (provider, region, country, type, stack) gets an index in listing
order behind it, replacing its one-column index, so a filtered page is read in order off the
index instead of sorting every match (100,000 rows, country=FR: ~90 ms -> ~2 ms on SQLite), and
(provider, type) one for that common pair's count. The extra index upkeep is the indexer's, after
the write was acknowledged.

PostgreSQL: state bodies are stored without TOAST compression (`STORAGE EXTERNAL`): pglz over a
20 MB JSON body costs the write more CPU time than the bytes it saves cost disk.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_log = logging.getLogger("fedstack.bridge.migrations")

_FTS_DDL = (
    "CREATE VIRTUAL TABLE resources_fts USING fts5("
    "search, content='resources', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER resources_fts_insert AFTER INSERT ON resources BEGIN "
    "INSERT INTO resources_fts(rowid, search) VALUES (new.id, new.search); END",
    "CREATE TRIGGER resources_fts_delete AFTER DELETE ON resources BEGIN "
    "INSERT INTO resources_fts(resources_fts, rowid, search) VALUES ('delete', old.id, old.search); "
    "END",
    "CREATE TRIGGER resources_fts_update AFTER UPDATE OF search ON resources BEGIN "
    "INSERT INTO resources_fts(resources_fts, rowid, search) VALUES ('delete', old.id, old.search); "
    "INSERT INTO resources_fts(rowid, search) VALUES (new.id, new.search); END",
    "INSERT INTO resources_fts(resources_fts) VALUES ('rebuild')",
)


_FILTERS = ("provider", "region", "country", "type", "stack")


def upgrade() -> None:
    for column in _FILTERS:
        op.drop_index(f"ix_resources_{column}", table_name="resources")
        behind = [c for c in ("project", "stack", "address", "id") if c != column]
        op.create_index(f"ix_resources_{column}_listing", "resources", [column, *behind])
    op.create_index("ix_resources_provider_type", "resources", ["provider", "type"])
    with op.batch_alter_table("stacks") as batch:
        batch.add_column(sa.Column("indexed_version", sa.Integer(), nullable=True))
    op.execute("UPDATE stacks SET indexed_version = current_version")
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE state_versions ALTER COLUMN body SET STORAGE EXTERNAL")
        return
    savepoint = bind.begin_nested()
    try:
        for statement in _FTS_DDL:
            bind.execute(sa.text(statement))
    except sa.exc.DBAPIError as exc:
        savepoint.rollback()
        _log.warning(
            "SQLite has no FTS5 trigram tokenizer (%s): inventory text search runs without an index",
            str(exc.orig).strip().splitlines()[0],
        )
        return
    savepoint.commit()


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE state_versions ALTER COLUMN body SET STORAGE EXTENDED")
    else:
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS resources_fts_{name}")
        op.execute("DROP TABLE IF EXISTS resources_fts")
    with op.batch_alter_table("stacks") as batch:
        batch.drop_column("indexed_version")
    op.drop_index("ix_resources_provider_type", table_name="resources")
    for column in _FILTERS:
        op.drop_index(f"ix_resources_{column}_listing", table_name="resources")
        op.create_index(f"ix_resources_{column}", "resources", [column])
