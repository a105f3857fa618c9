"""Which commits wait for the disk: every state write does; the indexer's redoable work does not.

Real SQLite and PostgreSQL. The setting is read back from the database inside each transaction,
on one pooled connection reused across them, so a connection left non-durable by the indexer
would show up in the next write.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable

import pytest
from fedstack.bridge.store import index_stack, migrate, open_engine, write_state, write_transaction
from fedstack.bridge._statefile import parse_state
from sqlalchemy import Connection, event

# SQLite: PRAGMA synchronous 2 = FULL, 1 = NORMAL. PostgreSQL: synchronous_commit on/off.
_DURABLE = {"sqlite": "2", "postgresql": "on"}
_REDOABLE = {"sqlite": "1", "postgresql": "off"}


def _setting(conn: Connection) -> str:
    if conn.dialect.name == "sqlite":
        return str(conn.exec_driver_sql("PRAGMA synchronous").scalar_one())
    return str(conn.exec_driver_sql("SHOW synchronous_commit").scalar_one())


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_only_redoable_work_skips_the_disk_wait(
    kind: str, new_database: Callable[[str], str]
) -> None:
    engine = open_engine(new_database(kind), checkpoint_on_commit=False)
    migrate(engine)
    with write_transaction(engine) as conn:
        assert _setting(conn) == _DURABLE[kind]
    with write_transaction(engine, durable=False) as conn:
        assert _setting(conn) == _REDOABLE[kind]
    # The next writer on the same (pooled) connection waits for the disk again, and so does a
    # plain transaction that writes.
    with write_transaction(engine) as conn:
        assert _setting(conn) == _DURABLE[kind]
    with write_transaction(engine, durable=False):
        pass
    with engine.begin() as conn:
        assert _setting(conn) == _DURABLE[kind]
    engine.dispose()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_the_indexer_commits_without_waiting_and_the_state_write_waits(
    kind: str, new_database: Callable[[str], str]
) -> None:
    engine = open_engine(new_database(kind), checkpoint_on_commit=False)
    migrate(engine)
    seen: list[tuple[str, str]] = []

    @event.listens_for(engine, "commit")
    def _before_commit(conn: Connection) -> None:  # still inside the transaction
        seen.append((_caller_kind(conn), _setting(conn)))

    state = parse_state(
        b'{"version": 4, "serial": 1, "lineage": "l-1", "terraform_version": "1.11.4",'
        b' "resources": [], "outputs": {}}'
    )
    result = write_state(engine, "p", "s", state, lock_id=None, who="t")
    assert index_stack(engine, result.stack_id, (result.version, state)) == result.version
    assert seen == [("write", _DURABLE[kind]), ("write", _REDOABLE[kind])]
    engine.dispose()


def _caller_kind(conn: Connection) -> str:
    return "write" if conn.get_execution_options().get("fedstack_write") else "read"


def test_sqlite_writers_of_one_process_queue_in_the_process(
    new_database: Callable[[str], str],
) -> None:
    """A second writer waits for the first on a lock of this process, woken by its commit; it
    does not wait inside SQLite (whose busy handler sleeps 1, 2, 5, 10 ms ... between tries)."""
    engine = open_engine(new_database("sqlite"), checkpoint_on_commit=False)
    migrate(engine)
    second_done = threading.Event()

    def second_writer() -> None:
        with write_transaction(engine, durable=False):
            pass
        second_done.set()

    with write_transaction(engine):
        writer = threading.Thread(target=second_writer)
        writer.start()
        # Where the blocked writer waits: its innermost Python frame. In the process's queue
        # that is write_transaction itself; without it, SQLAlchemy's or SQLite's calls (a new
        # connection's pragmas or BEGIN IMMEDIATE, polling SQLite's lock).
        time.sleep(0.5)
        assert not second_done.is_set()
        frame = sys._current_frames()[writer.ident or 0]
        assert frame.f_code.co_name == "write_transaction", frame.f_code
    assert second_done.wait(30)
    writer.join()
    engine.dispose()
