"""`POST /v1/drift-runs` and drift history on a real bridge (SQLite and PostgreSQL), with a real
webhook receiver on loopback. Runs are built from the drift engine's own report models.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from bridge_helpers import bearer, unique, wait_until
from drift_runs_helpers import (
    BUCKET,
    VM,
    WebhookReceiver,
    drifted,
    report,
    stack,
    webhook_receiver,
)
from fedstack.bridge import BridgeSettings, running_bridge
from fedstack.client import BridgeClient
from fedstack.drift.schema import MASK, AttributeChange, DriftReport
from fedstack.bridge.store import create_token, open_engine

LIMIT = 256 * 1024


@dataclass
class DriftBridge:
    """A bridge in this process with a webhook pointed at `hooks`."""

    url: str
    db_url: str
    hooks: WebhookReceiver

    def token(self, project: str, scope: str) -> str:
        engine = open_engine(self.db_url)
        try:
            return create_token(engine, project, scope).secret
        finally:
            engine.dispose()

    def post(self, run: DriftReport | bytes, token: str, **params: str) -> httpx.Response:
        body = run if isinstance(run, bytes) else run.model_dump_json().encode()
        return httpx.post(
            f"{self.url}/v1/drift-runs",
            content=body,
            headers=bearer(token),
            params=params,
            timeout=30,
        )

    def get(self, path: str, token: str, **params: Any) -> httpx.Response:
        return httpx.get(f"{self.url}{path}", headers=bearer(token), params=params, timeout=30)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def drift_bridge(
    request: pytest.FixtureRequest, new_database: Callable[[str], str]
) -> Iterator[DriftBridge]:
    """One bridge per database kind for this module; each test uses a project of its own."""
    db_url = new_database(request.param)
    with webhook_receiver() as hooks:
        settings = BridgeSettings(db_url=db_url, port=0, max_state_bytes=LIMIT, webhook=hooks.url)
        with running_bridge(settings) as url:
            yield DriftBridge(url, db_url, hooks)


@dataclass
class Project:
    """A project of the test's own with a drift:write and a state:read token."""

    name: str
    writer: str
    reader: str


@pytest.fixture
def project(drift_bridge: DriftBridge) -> Project:
    name = unique("drift")
    return Project(
        name, drift_bridge.token(name, "drift:write"), drift_bridge.token(name, "state:read")
    )


def _periods(b: DriftBridge, p: Project, **params: str) -> list[dict[str, Any]]:
    answer = b.get("/v1/drift/resources", p.reader, project=p.name, **params)
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


def test_a_posted_run_answers_201_with_its_id_and_run_page_url(
    drift_bridge: DriftBridge, project: Project
) -> None:
    run = report(stack("web", drifted(BUCKET)))
    answer = drift_bridge.post(run, project.writer)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["url"] == f"{drift_bridge.url}/dashboard/runs/{body['id']}"
    assert body["project"] == project.name  # from the token
    served = drift_bridge.get(f"/v1/drift-runs/{body['id']}", project.reader).json()
    assert DriftReport.model_validate(served["report"]).stacks[0].drift[0].address == BUCKET
    listed = drift_bridge.get("/v1/drift-runs", project.reader).json()["items"]
    assert [(r["id"], r["run_id"], r["status"]) for r in listed] == [
        (body["id"], run.run_id, "drift")
    ]


def test_the_same_run_posted_twice_is_stored_once(
    drift_bridge: DriftBridge, project: Project
) -> None:
    run = report(stack("web", drifted(BUCKET)))
    first = drift_bridge.post(run, project.writer)
    again = drift_bridge.post(run, project.writer)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"] and again.json()["created"] is False
    assert drift_bridge.get("/v1/drift-runs", project.reader).json()["total"] == 1


def test_an_unknown_schema_version_is_refused_with_a_clear_400(
    drift_bridge: DriftBridge, project: Project
) -> None:
    document = report(stack("web")).model_dump(mode="json")
    document["schema_version"] = 99

    answer = drift_bridge.post(json.dumps(document).encode(), project.writer)
    assert answer.status_code == 400
    assert "unsupported drift report schema_version 99" in answer.json()["error"]
    assert drift_bridge.post(b"[1, 2]", project.writer).status_code == 400
    assert drift_bridge.post(b"{not json", project.writer).status_code == 400
    del document["schema_version"]
    document["schema_version"] = 1
    document["summary"] = "lots"
    invalid = drift_bridge.post(json.dumps(document).encode(), project.writer)
    assert invalid.status_code == 400 and "summary" in invalid.json()["error"]


def test_a_run_over_the_size_limit_is_refused_with_413(
    drift_bridge: DriftBridge, project: Project
) -> None:
    many = [stack(f"s{i:04d}", drifted(BUCKET)) for i in range(400)]
    big = report(*many)
    assert len(big.model_dump_json()) > LIMIT
    assert drift_bridge.post(big, project.writer).status_code == 413
    assert drift_bridge.get("/v1/drift-runs", project.reader).json()["total"] == 0


def test_posting_a_run_needs_drift_write_on_that_project(
    drift_bridge: DriftBridge, project: Project
) -> None:
    run = report(stack("web"))
    assert drift_bridge.post(run, project.reader).status_code == 403
    other = drift_bridge.token(project.name + "-x", "drift:write")
    assert drift_bridge.post(run, other, project=project.name).status_code == 403
    assert (
        httpx.post(f"{drift_bridge.url}/v1/drift-runs", content=run.model_dump_json()).status_code
        == 401
    )
    everywhere = drift_bridge.token("*", "drift:write")
    answer = drift_bridge.post(run, everywhere, project=project.name)
    assert answer.status_code == 201 and answer.json()["project"] == project.name


def test_history_keeps_first_seen_sets_resolved_at_and_a_new_drift_opens_a_new_period(
    drift_bridge: DriftBridge, project: Project
) -> None:
    b, p = drift_bridge, project
    first = b.post(report(stack("web", drifted(BUCKET), drifted(VM))), p.writer).json()
    (opened,) = [x for x in _periods(b, p) if x["address"] == BUCKET]
    second = b.post(report(stack("web", drifted(BUCKET))), p.writer).json()
    bucket_now, vm_now = (
        next(x for x in _periods(b, p) if x["address"] == address) for address in (BUCKET, VM)
    )
    assert bucket_now["first_seen_at"] == opened["first_seen_at"]
    assert (bucket_now["first_run"], bucket_now["last_run"]) == (first["id"], second["id"])
    assert bucket_now["last_seen_at"] > opened["last_seen_at"]
    assert vm_now["state"] == "resolved" and vm_now["resolved_run"] == second["id"]
    assert vm_now["resolved_at"] is not None
    b.post(report(stack("web")), p.writer)
    third = b.post(report(stack("web", drifted(BUCKET))), p.writer).json()
    bucket_periods = [x for x in _periods(b, p) if x["address"] == BUCKET]
    assert [(x["state"], x["first_run"]) for x in bucket_periods] == [
        ("drifting", third["id"]),
        ("resolved", first["id"]),
    ]
    drifting = _periods(b, p, state="drifting")
    assert [x["address"] for x in drifting] == [BUCKET]
    assert {x["address"] for x in _periods(b, p, state="resolved")} == {BUCKET, VM}


def test_an_errored_or_absent_stack_resolves_nothing(
    drift_bridge: DriftBridge, project: Project
) -> None:
    b, p = drift_bridge, project
    b.post(report(stack("web", drifted(BUCKET)), stack("db", drifted(VM))), p.writer)
    b.post(report(stack("web", error="terraform init failed: no credentials")), p.writer)
    assert {x["address"] for x in _periods(b, p, state="drifting")} == {BUCKET, VM}
    b.post(report(stack("web")), p.writer)  # db not included: its VM still drifts
    assert [(x["stack"], x["address"]) for x in _periods(b, p, state="drifting")] == [("db", VM)]


def test_runs_are_served_with_first_seen_drifting_filled_in(
    drift_bridge: DriftBridge, project: Project
) -> None:
    b, p = drift_bridge, project
    b.post(report(stack("web", drifted(BUCKET))), p.writer)
    later = b.post(report(stack("web", drifted(BUCKET), drifted(VM))), p.writer).json()
    served = DriftReport.model_validate(
        b.get(f"/v1/drift-runs/{later['id']}", p.reader).json()["report"]
    )
    first_seen = {r.address: r.first_seen_drifting for r in served.stacks[0].drift}
    periods = {x["address"]: x["first_seen_at"] for x in _periods(b, p)}
    assert first_seen[BUCKET] is not None and first_seen[BUCKET] < first_seen[VM]
    for address, when in first_seen.items():
        assert when == dt.datetime.fromisoformat(periods[address])


def test_the_webhook_fires_once_per_change_and_never_for_repeats(
    drift_bridge: DriftBridge, project: Project
) -> None:
    b, p = drift_bridge, project

    def changes_after(run: DriftReport, expected_bodies: int) -> list[tuple[str, str]]:
        answer = b.post(run, p.writer).json()
        wait_until(
            lambda: len(b.hooks.for_project(p.name)) >= expected_bodies,
            timeout=15,
            what=f"webhook body {expected_bodies}",
        )
        bodies = b.hooks.for_project(p.name)
        assert len(bodies) == expected_bodies
        last = bodies[-1]
        assert last["run_url"] == answer["url"]
        return sorted((c["change"], c["address"]) for c in last["changes"])

    assert changes_after(report(stack("web", drifted(BUCKET))), 1) == [("drifted", BUCKET)]
    # The body's times read exactly as the API writes them (UTC, ending in Z).
    (change,) = b.hooks.for_project(p.name)[0]["changes"]
    (period,) = _periods(b, p)
    assert change["first_seen_at"] == period["first_seen_at"]
    assert change["first_seen_at"].endswith("Z"), change
    # A repeat (the same drift again) changes nothing: no body. Post a second project's change
    # after it and wait for that one, so a late body for the repeat would have arrived too.
    b.post(report(stack("web", drifted(BUCKET))), p.writer)
    other = Project(unique("drift"), "", "")
    other.writer = b.token(other.name, "drift:write")
    b.post(report(stack("web", drifted(VM))), other.writer)
    wait_until(
        lambda: b.hooks.for_project(other.name) != [], timeout=15, what="the other project's body"
    )
    assert len(b.hooks.for_project(p.name)) == 1
    assert changes_after(report(stack("web", drifted(VM))), 2) == [
        ("drifted", VM),
        ("resolved", BUCKET),
    ]


def test_a_failing_webhook_is_retried_a_bounded_number_of_times_and_the_run_is_kept(
    new_database: Callable[[str], str],
) -> None:
    with webhook_receiver(status=503) as hooks:
        settings = BridgeSettings(
            db_url=new_database("sqlite"), port=0, auth=False, webhook=hooks.url
        )
        with running_bridge(settings) as url:
            answer = httpx.post(
                f"{url}/v1/drift-runs",
                content=report(stack("web", drifted(BUCKET))).model_dump_json(),
                timeout=30,
            )
            assert answer.status_code == 201
            # The answer does not wait for the retries (they take 2.5 s of back-off at least).
            assert len(hooks.bodies) < 3
            wait_until(lambda: len(hooks.bodies) >= 3, timeout=20, what="three webhook attempts")
            assert (
                httpx.get(f"{url}/v1/drift/resources", params={"state": "drifting"}).json()["total"]
                == 1
            )
            httpx.get(f"{url}/healthz")
    assert len(hooks.bodies) == 3  # bounded: the first try and two retries


def test_sensitive_values_are_masked_by_the_bridge_in_every_answer_and_page(
    drift_bridge: DriftBridge, project: Project
) -> None:
    """A client that forgot to mask still cannot make the bridge store or show a sensitive value."""
    b, p = drift_bridge, project
    secret = "s3cr3t-" + unique("v")
    leaky = AttributeChange(path="tags.token", before=secret, after=secret + "-new", sensitive=True)
    posted = b.post(report(stack("web", drifted(BUCKET, leaky))), p.writer).json()
    answers = {
        "run": b.get(f"/v1/drift-runs/{posted['id']}", p.reader).text,
        "runs": b.get("/v1/drift-runs", p.reader).text,
        "history": b.get("/v1/drift/resources", p.reader).text,
        "run page": b.get(f"/dashboard/runs/{posted['id']}", p.reader).text,
        "stack page": b.get(f"/dashboard/stacks/{p.name}/web", p.reader).text,
        "overview": b.get("/dashboard", p.reader).text,
        "webhook": str(b.hooks.bodies),
    }
    for name, text in answers.items():
        assert secret not in text, f"the secret leaked into the {name}"
    assert f'<span class="masked">{MASK}</span>' in answers["run page"]
    assert "tags.token" in answers["run page"]


def test_secret_named_values_are_masked_by_the_bridge_even_when_not_marked_sensitive(
    drift_bridge: DriftBridge, project: Project
) -> None:
    """The one masking rule (fedstack.contracts) applies to runs from any client, unmarked too."""
    b, p = drift_bridge, project
    secret = "pw-" + unique("v")
    unmarked = [
        AttributeChange(path="tags.db_password", before=secret, after=secret + "-2"),
        AttributeChange(path="private_key", before=None, after=secret + "-key"),
        AttributeChange(
            path="tags.dsn", before=f"postgresql://app:{secret}@db/x", after="postgresql://db/x"
        ),
        AttributeChange(path="tags.owner", before="alice", after="mallory"),
    ]
    posted = b.post(report(stack("web", drifted(BUCKET, *unmarked))), p.writer).json()
    run = b.get(f"/v1/drift-runs/{posted['id']}", p.reader)
    page = b.get(f"/dashboard/runs/{posted['id']}", p.reader).text
    assert secret not in run.text and secret not in page
    changes = {c["path"]: c for c in run.json()["report"]["stacks"][0]["drift"][0]["changes"]}
    for path in ("tags.db_password", "private_key", "tags.dsn"):
        assert changes[path]["sensitive"] is True, path
        assert MASK in (changes[path]["before"], changes[path]["after"]), path
    assert (changes["tags.owner"]["before"], changes["tags.owner"]["after"]) == ("alice", "mallory")


def test_pages_escape_hostile_values_and_need_a_read_token(
    drift_bridge: DriftBridge, project: Project
) -> None:
    b, p = drift_bridge, project
    hostile = '<script>alert("x")</script>'
    change = AttributeChange(path="tags.note", before="a", after=hostile)
    posted = b.post(report(stack("web", drifted(BUCKET, change))), p.writer).json()
    page = b.get(f"/dashboard/runs/{posted['id']}", p.reader)
    assert page.status_code == 200 and hostile not in page.text
    assert "&lt;script&gt;" in page.text
    assert "default-src 'none'" in page.headers["content-security-policy"]
    refused = httpx.get(f"{b.url}/dashboard/runs/{posted['id']}")
    assert refused.status_code == 401 and refused.headers["www-authenticate"].startswith("Basic")
    outsider = b.token(p.name + "-x", "state:read")
    assert b.get(f"/dashboard/runs/{posted['id']}", outsider).status_code == 403
    basic = httpx.get(f"{b.url}/dashboard", auth=("me", p.reader))
    assert basic.status_code == 200 and f"{p.name}/web" in basic.text


def test_the_cli_client_posts_to_the_project_named_by_fedstack_bridge_project(
    drift_bridge: DriftBridge, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FEDSTACK_BRIDGE_PROJECT", project.name)
    everywhere = drift_bridge.token("*", "drift:write")
    answer = BridgeClient(drift_bridge.url, everywhere).post_drift_run(report(stack("web")))
    assert answer["project"] == project.name
    assert answer["url"] == f"{drift_bridge.url}/dashboard/runs/{answer['id']}"
    assert drift_bridge.get("/v1/drift-runs", project.reader).json()["total"] == 1


def test_a_stack_named_by_its_folder_gets_a_working_stack_page(
    drift_bridge: DriftBridge, project: Project
) -> None:
    b, p = drift_bridge, project
    posted = b.post(report(stack("Web App", drifted(BUCKET))), p.writer).json()
    page = b.get(f"/dashboard/runs/{posted['id']}", p.reader).text
    link = f"/dashboard/stacks/{p.name}/Web%20App"
    assert f'href="{link}"' in page
    stack_page = b.get(link, p.reader)
    assert stack_page.status_code == 200 and BUCKET in stack_page.text
