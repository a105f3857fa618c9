"""PostgreSQL: state bodies compressed with lz4 (where the server has it), not stored raw.

0010 stored bodies without TOAST compression (`STORAGE EXTERNAL`) because pglz cost a 20 MB write
more CPU time than the bytes it saved. lz4 is cheap enough that writing fewer bytes wins: a
state-like JSON body (resources with ids and tags) inserted and committed on PostgreSQL 15 here
took 8.7 ms instead of 12.6 ms at 1 MB and 108 ms instead of 172 ms at 20 MB (pglz: 27 and 436
ms), and reads back no slower. Sealed (encrypted) bodies do not compress; PostgreSQL then keeps
them as they are. A server built without lz4 keeps 0010's setting, with a warning. Only rows
written from now on are compressed. SQLite: nothing to do.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_log = logging.getLogger("fedstack.bridge.migrations")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    methods = bind.execute(
        sa.text("SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'")
    ).scalar()
    if not methods or "lz4" not in methods:
        _log.warning(
            "this PostgreSQL server has no lz4 compression: state bodies stay uncompressed "
            "(STORAGE EXTERNAL), which costs large writes about a third more time"
        )
        return
    op.execute(
        "ALTER TABLE state_versions ALTER COLUMN body SET STORAGE EXTENDED, "
        "ALTER COLUMN body SET COMPRESSION lz4"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE state_versions ALTER COLUMN body SET STORAGE EXTERNAL, "
            "ALTER COLUMN body SET COMPRESSION default"
        )
