"""Open the bridge database (SQLite in WAL mode, or PostgreSQL via psycopg 3) and migrate it.

Must not import the web framework.
"""

from __future__ import annotations

import contextlib
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from fedstack.errors import ConfigError

__all__ = ["connected", "is_sqlite", "migrate", "open_engine", "write_transaction"]

_MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Any constant works: replicas starting together take this advisory lock to migrate one at a time.
_MIGRATION_LOCK_KEY = 0x66656473
# One SQLite database has one writer at a time. Threads of this process queue for it here, woken
# as soon as the writer before them commits; SQLite's own busy handler (left for other processes)
# polls instead, sleeping 1, 2, 5, 10 ms ... between tries, which a state write arriving while the
# indexer commits would pay in full.
_SQLITE_WRITERS: weakref.WeakKeyDictionary[Engine, threading.RLock] = weakref.WeakKeyDictionary()


def is_sqlite(engine: Engine | Connection) -> bool:
    """True when the database is SQLite."""
    return engine.dialect.name == "sqlite"


@contextmanager
def connected(bind: Engine | Connection) -> Iterator[Connection]:
    """A connection of `bind`: the one given, or a new one of the engine, closed after."""
    if isinstance(bind, Connection):
        yield bind
        return
    with bind.connect() as conn:
        yield conn


def open_engine(url: str, *, checkpoint_on_commit: bool = True) -> Engine:
    """An Engine for `url`; `postgresql://` URLs use psycopg 3, SQLite files get WAL mode.

    `checkpoint_on_commit=False` (the bridge app, whose indexer checkpoints the WAL in the
    background) keeps SQLite from copying the WAL into the database file inside a commit: a state
    write then waits for the WAL's fsync only. It changes nothing on PostgreSQL.
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(
            f"FEDSTACK_DB: {url!r} is not a database URL (sqlite:///file or postgresql://...)"
        ) from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed, checkpoint_on_commit)
    if parsed.get_backend_name() != "postgresql":
        raise ConfigError(
            f"FEDSTACK_DB: unsupported database {parsed.drivername!r}; use sqlite or postgresql"
        )
    return create_engine(parsed, pool_pre_ping=True, pool_size=8, max_overflow=8)


def _sqlite_engine(url: Any, checkpoint_on_commit: bool) -> Engine:
    if url.database and url.database != ":memory:":
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
    _SQLITE_WRITERS[engine] = threading.RLock()

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below emit BEGIN itself (the pysqlite recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # FULL: a version the bridge acknowledged survives a crash of the machine, not only of the process.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        if not checkpoint_on_commit:
            cursor.execute("PRAGMA wal_autocheckpoint=0")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        options = conn.get_execution_options()
        # Every transaction's commit waits for the disk (FULL) unless it is redoable work; a
        # connection left on NORMAL by such work is put back before anything else commits on it.
        synchronous = "FULL" if options.get("fedstack_durable", True) else "NORMAL"
        info = conn.connection.info
        if info.get("synchronous", "FULL") != synchronous:
            conn.exec_driver_sql(f"PRAGMA synchronous={synchronous}")
            info["synchronous"] = synchronous
        # A writer takes the write lock up front: a deferred transaction that upgrades later can
        # fail with "database is locked" without waiting, an IMMEDIATE one waits its turn.
        immediate = options.get("fedstack_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


@contextmanager
def write_transaction(engine: Engine, *, durable: bool = True) -> Iterator[Connection]:
    """A transaction that will write: on SQLite it holds the write lock from its first statement.

    Its commit returns once the data is on disk. `durable=False` is for work the bridge redoes
    from what is durable (a stored version's inventory and findings, rebuilt by the indexer's
    catch-up): its commit does not wait for the disk (SQLite `synchronous=NORMAL` in WAL mode,
    PostgreSQL `synchronous_commit=off`). A crash of the machine may undo such a commit, never
    tear it; the next durable commit makes it durable too (SQLite: the same WAL is synced;
    PostgreSQL: WAL is flushed in order).
    """
    writers = _SQLITE_WRITERS.get(engine)
    with writers if writers is not None else contextlib.nullcontext(), engine.connect() as conn:
        conn.execution_options(fedstack_write=True, fedstack_durable=durable)
        with conn.begin():
            if not durable and not is_sqlite(conn):
                conn.execute(text("SET LOCAL synchronous_commit TO OFF"))
            yield conn


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision (run at every start; replicas take turns)."""
    from alembic import command
    from alembic.config import Config
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    try:
        with write_transaction(engine) as conn:
            if not is_sqlite(engine):
                conn.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY}
                )
            at = MigrationContext.configure(conn).get_current_revision()
            scripts = ScriptDirectory.from_config(cfg)
            if at is not None and at not in {s.revision for s in scripts.walk_revisions()}:
                # A newer bridge migrated this database; this one would misread what it stores.
                raise ConfigError(
                    f"the bridge database {engine.url!r} is at schema revision {at}, newer than "
                    f"this bridge knows (up to {scripts.get_current_head()}): run the newer "
                    "bridge (docs/running-the-bridge.md, upgrading replicas)"
                )
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except OperationalError as exc:
        raise ConfigError(
            f"cannot open the bridge database {engine.url!r}: {_one_line(exc.orig)}"
        ) from None


def wait_for_database(engine: Engine, timeout: float = 10.0) -> None:
    """Retry a first connection for up to `timeout` seconds (a database starting beside us)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return
        except OperationalError as exc:
            if time.monotonic() > deadline:
                raise ConfigError(
                    f"cannot reach the bridge database {engine.url!r}: {_one_line(exc.orig)}"
                ) from None
            time.sleep(0.2)


def _one_line(error: object) -> str:
    """A driver's multi-line message as one line, for the CLI's one-line errors."""
    return " ".join(str(error).split())
