"""The indexer's back-off: a stack whose indexing keeps failing is retried after 2, 4, 8 ... 300 s.

Real SQLite and PostgreSQL, the real indexer thread, a real failure: the stored body of a version
is cut short in the database (a torn copy, a restore gone wrong), so the indexer cannot read the
state back. The back-off is timed by a clock the test moves, and the sweep runs every
10 ms, so the test takes well under a second of waiting per database.
"""

from __future__ import annotations

import logging
import threading

import pytest
from bridge_helpers import new_lineage, state_body, wait_until
from fedstack.bridge import _indexer
from fedstack.bridge._indexer import Indexer
from fedstack.bridge._statefile import ParsedState, parse_state
from fedstack.bridge.store import index_stack, write_state
from fedstack.bridge.store._models import state_versions
from sqlalchemy import Engine

_NOT_INDEXED = "not indexed"
_WAIT = 10.0


class _Clock:
    """A monotonic clock the test moves by hand; counts its reads (each is an indexer decision)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._now = 1000.0
        self.reads = 0

    def __call__(self) -> float:
        with self._lock:
            self.reads += 1
            return self._now

    def set(self, now: float) -> int:
        """Move to `now`; returns the read count from which every read sees it."""
        with self._lock:
            self._now = now
            return self.reads


class _Attempts:
    """Every call of the real `index_stack` with the clock's time, behind a gate the test holds."""

    def __init__(self, clock: _Clock) -> None:
        self.clock = clock
        self.times: list[float] = []
        self.reads: list[int] = []  # the clock's read count at each attempt
        self.gate = threading.Lock()

    def __call__(
        self, engine: Engine, stack_id: int, hint: tuple[int, ParsedState] | None = None
    ) -> int | None:
        with self.gate:
            self.times.append(self.clock())
            self.reads.append(self.clock.reads)
            return index_stack(engine, stack_id, hint)

    def wait_failed(self, count: int) -> None:
        """Wait for attempt `count` and for its failure to be timed (the clock read after it)."""
        wait_until(lambda: len(self.times) >= count, timeout=_WAIT, what=f"attempt {count}")
        assert len(self.times) == count, self.times
        wait_until(
            lambda: self.clock.reads > self.reads[count - 1],
            timeout=_WAIT,
            what=f"the back-off of attempt {count}",
        )


def _write(engine: Engine, serial: int, lineage: str, *, opens: bool) -> tuple[int, int]:
    result = write_state(
        engine, "p", "s", parse_state(state_body(serial, lineage)), lock_id=None, who="t"
    )
    if not opens:
        with engine.begin() as conn:
            conn.execute(
                state_versions.update()
                .where(
                    state_versions.c.stack_id == result.stack_id,
                    state_versions.c.version == result.version,
                )
                .values(body=b'{"version": 4, "serial"', codec=None)  # stored as it came
            )
    return result.stack_id, result.version


def _errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "fedstack.bridge.indexer" and _NOT_INDEXED in r.getMessage()
    ]


def _no_attempt_before(clock: _Clock, attempts: _Attempts, now: float) -> None:
    """At `now` the indexer looks at the stack (reads the clock twice more) and leaves it."""
    seen = len(attempts.times)
    since = clock.set(now)
    wait_until(lambda: clock.reads >= since + 2, timeout=_WAIT, what=f"a sweep at {now}")
    assert len(attempts.times) == seen, f"retried at {now}, before its back-off ended"


def _attempt_at(clock: _Clock, attempts: _Attempts, now: float) -> None:
    seen = len(attempts.times)
    clock.set(now)
    attempts.wait_failed(seen + 1)


def test_a_failing_stack_backs_off_logs_once_and_a_new_version_resets_it(
    engine: Engine, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # The wrapper only counts the indexer's attempts (and lets the test corrupt a version before
    # the indexer sees it); each attempt runs the real index_stack and fails for real.
    clock = _Clock()
    attempts = _Attempts(clock)
    monkeypatch.setattr(_indexer, "index_stack", attempts)
    caplog.set_level(logging.INFO, logger="fedstack.bridge.indexer")
    lineage = new_lineage()
    stack_id, first = _write(engine, 1, lineage, opens=False)
    indexer = Indexer(engine, clock=clock, sweep_seconds=0.01)
    indexer.start()
    try:
        attempts.wait_failed(1)  # the catch-up
        now = attempts.times[0]
        delays = [2.0, 4, 8, 16, 32, 64, 128, 256, 300, 300]
        for delay in delays:
            _no_attempt_before(clock, attempts, now + delay - 0.5)
            _attempt_at(clock, attempts, now + delay)
            now += delay
        spacing = [b - a for a, b in zip(attempts.times, attempts.times[1:], strict=False)]
        assert spacing == delays, attempts.times
        assert len(_errors(caplog)) == 1, _errors(caplog)
        assert f"version {first} not indexed" in _errors(caplog)[0]
        assert "not JSON" in _errors(caplog)[0]  # the real failure, as parse_state words it

        # A new version that fails too: tried at once (the clock stands still), logged once
        # more, and its back-off starts again at 2 s.
        with attempts.gate:
            _, second = _write(engine, 2, lineage, opens=False)
        attempts.wait_failed(len(delays) + 2)
        assert len(_errors(caplog)) == 2, _errors(caplog)
        assert f"version {second} not indexed" in _errors(caplog)[1]
        assert attempts.times[-1] == now
        _no_attempt_before(clock, attempts, now + 1.5)
        _attempt_at(clock, attempts, now + 2)
        now += 2

        # A version that opens: indexed at once, and the recovery said in one line.
        _, third = _write(engine, 3, lineage, opens=True)
        assert indexer.wait(stack_id, third, timeout=_WAIT)
        assert attempts.times[-1] == now
        wait_until(
            lambda: any("indexed again" in r.getMessage() for r in caplog.records),
            timeout=_WAIT,
            what="the line saying it recovered",
        )
        assert len(_errors(caplog)) == 2
    finally:
        indexer.stop()
