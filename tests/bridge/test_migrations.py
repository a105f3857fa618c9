"""Alembic migrations build exactly the schema the code declares, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fedstack.bridge._statefile import parse_state
from fedstack.bridge.store import migrate, open_engine, write_state
from fedstack.bridge.store._models import metadata, on_this_dialect
from sqlalchemy import text


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


def test_postgresql_compresses_state_bodies_with_lz4(new_database: Callable[[str], str]) -> None:
    """0011: bodies are TOAST-compressed with lz4 (this server has it), and a stored body is."""
    engine = open_engine(new_database("postgresql"))
    try:
        migrate(engine)
        with engine.begin() as conn:
            storage, compression = conn.execute(
                text(
                    "SELECT attstorage, attcompression FROM pg_attribute "
                    "WHERE attrelid = 'state_versions'::regclass AND attname = 'body'"
                )
            ).one()
        assert (storage, compression) == ("x", "l")  # extended (compressible), lz4
        state = parse_state(_state_like_body(1 << 20))
        write_state(engine, "p", "s", state, lock_id=None, who="t")
        with engine.connect() as conn:
            method, stored = conn.execute(
                text("SELECT pg_column_compression(body), pg_column_size(body) FROM state_versions")
            ).one()
        assert method == "lz4" and stored < state.size / 2
    finally:
        engine.dispose()


def _state_like_body(size: int) -> bytes:
    resources: list[dict[str, Any]] = []
    length = 0  # of the resources' JSON, counted as they are added (re-encoding is quadratic)
    while length < size:
        n = len(resources)
        resources.append(
            {
                "mode": "managed",
                "type": "aws_s3_bucket",
                "name": f"bucket_{n}",
                "instances": [
                    {"attributes": {"id": f"bucket-{n:06d}", "tags": {"team": f"t{n % 9}"}}}
                ],
            }
        )
        length += len(json.dumps(resources[-1])) + 2
    return json.dumps(
        {"version": 4, "serial": 1, "lineage": "l-1", "resources": resources, "outputs": {}}
    ).encode()
