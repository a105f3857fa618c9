"""The bridge's indexer: builds each stored state's inventory after its write was acknowledged.

A state write commits the (sealed) body and its version row, acknowledges, and hands the parsed
state to this thread, which replaces the stack's inventory rows and policy findings
(`fedstack.bridge.store.index_stack`). At start it catches up every stack whose inventory trails
its current version (a bridge killed between acknowledgement and indexing loses nothing: the body
is durable, the index follows), and every few seconds it looks again, for writes another replica
took. A stack whose indexing fails (a body this process cannot open, an index error) is left
alone for 2 s, then 4, 8, ... up to 5 minutes, and its error is logged once per streak: a sweep
every 2 s would otherwise retry it and log it forever. A new version of the stack or a success
ends the streak. On SQLite it also checkpoints the WAL here, off the request path; on PostgreSQL,
once it has caught up, it vacuums and analyzes the inventory when autovacuum would
(`refresh_statistics`), so queries right after a large indexing are planned for the rows there
are. Must not import the web framework.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from fedstack.bridge._statefile import ParsedState
from fedstack.bridge.store import (
    index_stack,
    indexed_version,
    is_sqlite,
    refresh_statistics,
    trailing_stacks,
)
from sqlalchemy import Engine, text

from fedstack import config

__all__ = ["Indexer"]

_log = logging.getLogger("fedstack.bridge.indexer")
_SWEEP_SECONDS = 2.0
_BACKOFF_FIRST_SECONDS = 2.0
_BACKOFF_MAX_SECONDS = 300.0
# The WAL is copied into the database at most this often while writes keep coming, and at every
# quiet sweep: a checkpoint after every state write fsynced the database file beside each write.
_CHECKPOINT_SECONDS = 1.0
# How often a long catch-up stops to look whether the inventory's statistics went stale.
_STATISTICS_SECONDS = 10.0
# Test hook (tests/bridge/test_durability.py): seconds the indexer waits before each stack, so a
# test can kill the bridge between the acknowledgement and the indexing. Not a user setting.
_DELAY = "FEDSTACK_TEST_INDEX_DELAY"


@dataclass(frozen=True)
class _Failing:
    """A stack whose indexing failed at `version`: not tried again before `retry_at`."""

    version: int | None
    delay: float
    retry_at: float


class Indexer:
    """One background thread per bridge process that indexes acknowledged state versions."""

    def __init__(
        self,
        engine: Engine,
        *,
        clock: Callable[[], float] = time.monotonic,
        sweep_seconds: float = _SWEEP_SECONDS,
    ) -> None:
        """`clock` times the back-off of failing stacks; tests pass their own, and a short sweep."""
        self._engine = engine
        self._delay = float(config.setting(_DELAY) or 0)
        self._clock = clock
        self._sweep_seconds = sweep_seconds
        self._changed = threading.Condition()
        self._queue: dict[int, tuple[int | None, ParsedState | None]] = {}
        self._indexed: dict[int, int | None] = {}
        self._submitted: dict[tuple[str, str], tuple[int, int]] = {}
        self._failing: dict[int, _Failing] = {}  # the indexer thread's own
        self._stopping = False
        self._statistics_due = False
        self._statistics_failed = False
        self._statistics_at = time.monotonic()
        self._checkpointed_at = -float("inf")
        self._thread = threading.Thread(target=self._run, name="fedstack-indexer", daemon=True)

    def start(self) -> None:
        """Start the thread; its first round indexes every stack that trails (the catch-up)."""
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Finish the stack under way and stop (what is still queued is caught up at next start)."""
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def submit(
        self, names: tuple[str, str], stack_id: int, version: int, state: ParsedState | None = None
    ) -> None:
        """Index the stack now that `version` is stored; `state` spares reading the body again."""
        with self._changed:
            self._queue[stack_id] = (version, state)  # a newer write replaces an older one
            self._submitted[names] = (stack_id, version)
            self._changed.notify_all()

    def wait_for_names(self, names: tuple[str, str], timeout: float) -> bool:
        """Block until the last version this process stored for the stack is indexed."""
        with self._changed:
            submitted = self._submitted.get(names)
        return submitted is None or self.wait(*submitted, timeout)

    def wait(self, stack_id: int, version: int | None, timeout: float) -> bool:
        """Block until the stack is indexed through `version` (or later); False after `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            with self._changed:
                if self._done(stack_id, version):
                    return True
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(min(left, 0.25))
            if not self._done(stack_id, version):
                # Indexed by another process (a replica, or this bridge before a restart)?
                found = indexed_version(self._engine, stack_id)
                if found == version or (
                    found is not None and version is not None and found >= version
                ):
                    return True

    def _done(self, stack_id: int, version: int | None) -> bool:
        indexed = self._indexed.get(stack_id)
        if version is None:
            return stack_id in self._indexed and indexed is None
        return indexed is not None and indexed >= version

    def _run(self) -> None:
        # stack id -> (the version to index, its parsed state when a write of this process gave it)
        pending: dict[int, tuple[int | None, ParsedState | None]] = self._trailing()
        while True:
            with self._changed:
                if not pending and not self._queue and not self._stopping:
                    self._changed.wait(self._sweep_seconds)
                if self._stopping:
                    return
                pending.update(self._queue)
                self._queue.clear()
            if not pending:
                self._checkpoint(quiet=True)
                self._refresh_statistics()  # what the lines below left for a quiet moment
                pending = self._trailing()
                continue
            stack_id, (version, state) = pending.popitem()
            if self._backing_off(stack_id, version):
                continue
            hint = (version, state) if version is not None and state is not None else None
            self._index(stack_id, version, hint)
            self._checkpoint(quiet=False)
            # Right when caught up (at most once a second), and every 10 s of a long catch-up.
            since = time.monotonic() - self._statistics_at
            if since > _STATISTICS_SECONDS or (since > 1 and not pending and not self._queue):
                self._refresh_statistics()

    def _backing_off(self, stack_id: int, version: int | None) -> bool:
        failing = self._failing.get(stack_id)
        if failing is None or failing.version != version:  # a new version may index: try now
            return False
        return self._clock() < failing.retry_at

    def _index(
        self, stack_id: int, version: int | None, hint: tuple[int, ParsedState] | None
    ) -> None:
        if self._delay:
            time.sleep(self._delay)
        try:
            indexed = index_stack(self._engine, stack_id, hint)
        except Exception as exc:  # a failure here must never stop the indexing of other stacks
            self._failed(stack_id, version, exc)
            return
        if self._failing.pop(stack_id, None) is not None:
            _log.info("stack %s: inventory indexed again (version %s)", stack_id, indexed)
        self._statistics_due = True
        with self._changed:
            self._indexed[stack_id] = indexed
            self._changed.notify_all()

    def _failed(self, stack_id: int, version: int | None, exc: Exception) -> None:
        failing = self._failing.get(stack_id)
        if failing is None or failing.version != version:
            delay = _BACKOFF_FIRST_SECONDS
            _log.error(
                "stack %s: inventory of version %s not indexed, retrying with back-off up to %g s: %s",
                stack_id,
                version,
                _BACKOFF_MAX_SECONDS,
                exc,
            )
        else:
            delay = min(failing.delay * 2, _BACKOFF_MAX_SECONDS)
        self._failing[stack_id] = _Failing(version, delay, self._clock() + delay)

    def _trailing(self) -> dict[int, tuple[int | None, ParsedState | None]]:
        try:
            current = trailing_stacks(self._engine)
        except Exception as exc:  # the database gone for a moment: the next sweep tries again
            _log.warning("cannot list stacks to index: %s", exc)
            return {}
        return {stack_id: (version, None) for stack_id, version in current.items()}

    def _refresh_statistics(self) -> None:
        if not self._statistics_due:
            return
        self._statistics_due = False
        self._statistics_at = time.monotonic()
        try:
            refresh_statistics(self._engine)
        except Exception as exc:  # e.g. not the table's owner: autovacuum still does it later
            if not self._statistics_failed:
                self._statistics_failed = True
                _log.warning("cannot refresh the inventory's planner statistics: %s", exc)

    def _checkpoint(self, *, quiet: bool) -> None:
        # The app's SQLite connections do not checkpoint on commit (see open_engine): a commit
        # waits for the WAL's fsync only, and the WAL is copied into the database file here.
        if not is_sqlite(self._engine):
            return
        now = self._clock()
        if not quiet and now - self._checkpointed_at < _CHECKPOINT_SECONDS:
            return
        self._checkpointed_at = now
        try:
            with self._engine.connect() as conn:
                conn.execute(text("PRAGMA wal_checkpoint(PASSIVE)"))
        except Exception as exc:
            _log.warning("WAL checkpoint failed: %s", exc)
