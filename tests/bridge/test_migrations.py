"""Alembic migrations build exactly the schema the code declares, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fedstack.bridge.store import migrate, open_engine
from fedstack.bridge.store._models import metadata, on_this_dialect
from sqlalchemy import text

from fedstack.errors import ConfigError


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_migrated_schema_matches_the_models_and_migrating_twice_is_a_no_op(
    kind: str, new_database: Callable[[str], str]
) -> None:
    engine = open_engine(new_database(kind))
    try:
        migrate(engine)
        migrate(engine)
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"include_object": on_this_dialect(conn.dialect.name)}
            )
            differences = compare_metadata(context, metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_a_database_migrated_by_a_newer_bridge_is_refused_in_one_line(
    new_database: Callable[[str], str],
) -> None:
    url = new_database("sqlite")
    engine = open_engine(url)
    try:
        migrate(engine)
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '0999'"))
        with pytest.raises(ConfigError, match=r"schema revision 0999, newer than this bridge"):
            migrate(engine)
        with engine.connect() as conn:  # and nothing was touched
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0999"
    finally:
        engine.dispose()
