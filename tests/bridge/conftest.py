"""Bridge fixtures: a throwaway PostgreSQL server, and one bridge process per database kind.

- `postgres`: one PostgreSQL server for the whole session (initdb/pg_ctl on a free loopback
  port in a temporary folder; as root, run as the `postgres` user because initdb refuses root).
- `new_database`: a factory of fresh database URLs, `sqlite` or `postgresql`.
- `bridge`: a `fedstack bridge serve` process per database kind (parametrised, session-wide);
  each test works in its own project so tests do not see each other's stacks.
- `tokens`: tokens of every scope for the test's own project.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from bridge_helpers import MAX_STATE_BYTES, BridgeProcess, Tokens, free_port, make_tokens, unique
from fedstack.bridge.store import migrate, open_engine
from sqlalchemy import Engine


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture(scope="session")
def postgres() -> Iterator[str]:
    """A running PostgreSQL server: yields its base URL (without a database name)."""
    for binary in ("initdb", "pg_ctl"):
        if shutil.which(binary) is None:
            pytest.fail(
                f"{binary} is not on PATH: install PostgreSQL server binaries (apt-get install postgresql)"
            )
    root = Path(tempfile.mkdtemp(prefix="fedstack-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    data = root / "data"
    port = free_port()
    subprocess.run(
        _as_postgres(
            ["initdb", "-D", str(data), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"]
        ),
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c max_connections=200"
    subprocess.run(
        _as_postgres(
            [
                "pg_ctl",
                "-D",
                str(data),
                "-l",
                str(root / "server.log"),
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "start",
            ]
        ),
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(
            _as_postgres(["pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop"]),
            capture_output=True,
            check=False,
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def new_database(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Callable[[str], str]:
    """Make a fresh, empty database of kind `sqlite` or `postgresql`; returns its URL."""

    def make(kind: str) -> str:
        name = f"fedstack_{uuid.uuid4().hex[:12]}"
        if kind == "sqlite":
            return f"sqlite:///{tmp_path_factory.mktemp('db') / (name + '.sqlite3')}"
        base = request.getfixturevalue("postgres")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"{base}/{name}"

    return make


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, new_database: Callable[[str], str]) -> Iterator[Engine]:
    """An Engine on a fresh, migrated database of each kind (no bridge process)."""
    engine = open_engine(new_database(request.param))
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def bridge(
    request: pytest.FixtureRequest,
    new_database: Callable[[str], str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[BridgeProcess]:
    """A running bridge on a fresh database of each kind (auth on, 2 MiB state limit)."""
    db_url = new_database(request.param)
    log = tmp_path_factory.mktemp("bridge-log") / "bridge.log"
    process = BridgeProcess(db_url, log, ["--max-state-size", str(MAX_STATE_BYTES)]).start()
    yield process
    process.stop()


@pytest.fixture
def tokens(bridge: BridgeProcess) -> Tokens:
    """Tokens of every scope for a project of this test's own."""
    return make_tokens(bridge.db_url, unique("p"))


@pytest.fixture(scope="session")
def sqlite_bridge(
    new_database: Callable[[str], str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BridgeProcess]:
    """A running bridge on SQLite only, for tests whose point is the client (Terraform, fuzzing)."""
    db_url = new_database("sqlite")
    log = tmp_path_factory.mktemp("bridge-log") / "bridge.log"
    process = BridgeProcess(db_url, log).start()
    yield process
    process.stop()
