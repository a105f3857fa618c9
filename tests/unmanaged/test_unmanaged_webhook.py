"""The `unmanaged.changed` webhook body on a real bridge (SQLite and PostgreSQL), received on loopback.

Its times must read exactly like `GET /v1/unmanaged/resources` writes them (UTC, ending in `Z`),
so a receiver can compare the two without parsing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from bridge_helpers import bearer, bucket_finding, unique, wait_until
from drift_runs_helpers import webhook_receiver
from fedstack.bridge import BridgeSettings, running_bridge
from fedstack.bridge.store import api_time, create_token, open_engine
from pydantic import AwareDatetime, TypeAdapter

from fedstack.unmanaged import ProviderOutcome, Scope, UnmanagedReport

_TIMES = ("first_seen_at", "last_seen_at", "gone_at")
_FR = ProviderOutcome(
    provider="sandbox-fr",
    status="checked",
    scopes=[Scope(provider="sandbox-fr", region="fr-par", kind="object_storage")],
)
_NOW = dt.datetime(2026, 12, 3, 6, 0, tzinfo=dt.UTC)


def _run(n: int, *names: str) -> bytes:
    findings = [bucket_finding(name) for name in names]
    report = UnmanagedReport(
        run_id=f"run-{n}",
        started_at=_NOW,
        finished_at=_NOW,
        fedstack_version="0",
        providers=[_FR],
        findings=findings,
    )
    return report.model_dump_json().encode()


def test_api_time_is_what_pydantic_writes_for_an_aware_utc_time() -> None:
    adapter = TypeAdapter(AwareDatetime)
    for value in (
        dt.datetime(2026, 12, 3, 11, 46, 37, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 3, 11, 46, 37, 120000, tzinfo=dt.UTC),
        dt.datetime(2026, 12, 3, 11, 46, 37, 123456, tzinfo=dt.UTC),
    ):
        assert api_time(value) == adapter.dump_python(value, mode="json")
        assert api_time(value.replace(tzinfo=None)) == adapter.dump_python(value, mode="json")
    paris = dt.datetime(2026, 12, 3, 12, 46, 37, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert api_time(paris) == "2026-12-03T11:46:37Z"


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_the_webhook_body_writes_times_as_the_api_does(
    kind: str, new_database: Callable[[str], str]
) -> None:
    db_url = new_database(kind)
    project = unique("um")
    with webhook_receiver() as hooks:
        settings = BridgeSettings(db_url=db_url, port=0, webhook=hooks.url)
        with running_bridge(settings) as url:
            engine = open_engine(db_url)
            try:
                writer = create_token(engine, project, "drift:write").secret
                reader = create_token(engine, project, "state:read").secret
            finally:
                engine.dispose()

            def post(n: int, *names: str) -> None:
                answer = httpx.post(
                    f"{url}/v1/unmanaged-runs", content=_run(n, *names), headers=bearer(writer)
                )
                assert answer.status_code == 201, answer.text
                wait_until(
                    lambda: len(hooks.for_project(project)) == n, timeout=15, what=f"webhook {n}"
                )

            def listed(state: str) -> dict[str, Any]:
                answer = httpx.get(
                    f"{url}/v1/unmanaged/resources",
                    params={"state": state},
                    headers=bearer(reader),
                    timeout=30,
                )
                (item,) = answer.json()["items"]
                return {k: item[k] for k in _TIMES}

            post(1, "logs")
            opened = listed("open")
            post(2)  # the bucket is gone: enumerated completely, not found
            gone = listed("gone")
    new, went = (body["changes"] for body in hooks.for_project(project))
    assert [c["change"] for c in new + went] == ["new", "gone"]
    assert {k: new[0][k] for k in _TIMES} == opened
    assert {k: went[0][k] for k in _TIMES} == gone
    assert gone["gone_at"] is not None
    assert all(v.endswith("Z") for v in [*opened.values(), *gone.values()] if v is not None)
