"""Alembic migrations build exactly the schema the code declares, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fedstack.bridge.store import migrate, open_engine
from fedstack.bridge.store._models import metadata, on_this_dialect


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
