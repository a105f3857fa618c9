"""The indexer copies SQLite's WAL into the database at most once a second while writes keep
coming (and at every quiet sweep), not after every state write.

Real SQLite, the real indexer thread, real state writes; the clock is the test's, so "a second"
passes when the test says so. Checkpoints are counted as the statements reach the database.
"""

from __future__ import annotations

from collections.abc import Callable

from bridge_helpers import new_lineage, state_body
from fedstack.bridge._indexer import Indexer
from fedstack.bridge._statefile import parse_state
from fedstack.bridge.store import migrate, open_engine, write_state
from sqlalchemy import event


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_checkpoints_at_most_once_a_second_under_writes(
    new_database: Callable[[str], str],
) -> None:
    engine = open_engine(new_database("sqlite"), checkpoint_on_commit=False)
    migrate(engine)
    checkpoints: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if "wal_checkpoint" in statement:
            checkpoints.append(statement)

    clock = _Clock()
    # A sweep every minute: the only checkpoints in this test are the ones after writes.
    indexer = Indexer(engine, clock=clock, sweep_seconds=60)
    indexer.start()
    lineage = new_lineage()

    def write(serial: int) -> None:
        state = parse_state(state_body(serial, lineage))
        result = write_state(engine, "p", "s", state, lock_id=None, who="t")
        indexer.submit(("p", "s"), result.stack_id, result.version, state)
        assert indexer.wait(result.stack_id, result.version, 30)

    try:
        for serial in range(1, 11):
            write(serial)
        assert len(checkpoints) == 1  # after the first write, not after each of the ten
        clock.now += 1.5
        write(11)
        write(12)
        assert len(checkpoints) == 2
    finally:
        indexer.stop()
        engine.dispose()
