"""Alembic migrations build exactly the schema the code declares, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fedstack.bridge import store
from fedstack.bridge.store import migrate, open_engine
from fedstack.bridge.store._models import metadata, on_this_dialect
from sqlalchemy import Engine, text

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


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_0013_fills_each_stacks_resource_count_from_its_rows(
    kind: str, new_database: Callable[[str], str]
) -> None:
    engine = open_engine(new_database(kind))
    try:
        _upgrade(engine, "0012")
        with engine.begin() as conn:
            for stack_id, name, rows in ((1, "two", 2), (2, "none", 0)):
                conn.execute(
                    text(
                        "INSERT INTO stacks (id, project, name, created_at, updated_at, "
                        "last_version, encrypted) VALUES (:id, 'p', :name, :now, :now, 0, false)"
                    ),
                    {"id": stack_id, "name": name, "now": datetime.now(UTC)},
                )
                for n in range(rows):
                    conn.execute(
                        text(
                            "INSERT INTO resources (stack_id, project, stack, address, type, "
                            "name, module, terraform_provider, attributes, search) VALUES (:id, "
                            "'p', :name, :address, 't', 'n', '', 'aws', '{}', '')"
                        ),
                        {"id": stack_id, "name": name, "address": f"t.n{n}"},
                    )
        migrate(engine)
        with engine.connect() as conn:
            counts = dict(conn.execute(text("SELECT name, resource_count FROM stacks")).all())
        assert counts == {"two": 2, "none": 0}
    finally:
        engine.dispose()


def _upgrade(engine: Engine, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(store.__file__).parent / "migrations"))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
