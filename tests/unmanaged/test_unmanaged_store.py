"""The bridge's unmanaged history on SQLite and PostgreSQL: first seen kept, gone only where a
run enumerated the scope, seen again after gone is a new finding. Real databases, nothing mocked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from bridge_helpers import bucket_finding
from fedstack.bridge.store import migrate, open_engine, query_unmanaged, store_unmanaged_run

from fedstack.unmanaged import Finding, ProviderOutcome, Scope, UnmanagedReport

NOW = dt.datetime(2026, 12, 2, 6, 0, tzinfo=dt.UTC)
FR = ProviderOutcome(
    provider="sandbox-fr",
    status="checked",
    scopes=[Scope(provider="sandbox-fr", region="fr-par", kind="object_storage")],
)
FR_FAILED = ProviderOutcome(provider="sandbox-fr", status="error", message="unreachable")


def _finding(name: str) -> Finding:
    return bucket_finding(name)


def _run(n: int, outcome: ProviderOutcome, *names: str) -> UnmanagedReport:
    return UnmanagedReport(
        run_id=f"run-{n}",
        started_at=NOW,
        finished_at=NOW,
        fedstack_version="0",
        providers=[outcome],
        findings=[_finding(name) for name in names],
    )


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_history_keeps_first_seen_marks_gone_per_scope_and_reopens(
    kind: str, new_database: Callable[[str], str]
) -> None:
    engine = open_engine(new_database(kind))
    migrate(engine)
    try:
        first = store_unmanaged_run(engine, "p", _run(1, FR, "a", "b"), who="t")
        assert sorted((e.change, e.finding.identifier) for e in first.events) == [
            ("new", "a"),
            ("new", "b"),
        ]
        opened = query_unmanaged(engine, None, state="open").items
        seen_first = {r.identifier: r.first_seen_at for r in opened}

        again = store_unmanaged_run(engine, "p", _run(2, FR, "a", "b"), who="t")
        assert again.created and again.events == []
        still = query_unmanaged(engine, None, state="open").items
        assert {r.identifier: r.first_seen_at for r in still} == seen_first
        assert {r.last_run for r in still} == {again.id}

        failed = store_unmanaged_run(engine, "p", _run(3, FR_FAILED), who="t")
        assert failed.events == []  # a provider that failed marks nothing gone

        gone = store_unmanaged_run(engine, "p", _run(4, FR, "a"), who="t")
        assert [(e.change, e.finding.identifier) for e in gone.events] == [("gone", "b")]
        gone_rows = query_unmanaged(engine, None, state="gone")
        assert gone_rows.total == 1 and gone_rows.items[0].gone_run == gone.id

        back = store_unmanaged_run(engine, "p", _run(5, FR, "a", "b"), who="t")
        assert [(e.change, e.finding.identifier) for e in back.events] == [("new", "b")]
        assert query_unmanaged(engine, None, state="open").total == 2

        repeat = store_unmanaged_run(engine, "p", _run(5, FR), who="t")
        assert (repeat.id, repeat.created, repeat.events) == (back.id, False, [])
        assert query_unmanaged(engine, ["other"], state="open").total == 0
    finally:
        engine.dispose()
