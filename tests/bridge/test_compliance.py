"""Live-state policy findings: the bridge checks every stack's inventory against its project's
policy on each state write and placement change, and keeps findings with history like drift.

Real bridge (SQLite and PostgreSQL), real HTTP, Terraform v4 state documents written through the
state backend protocol, the real policy engine and catalog.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from bridge_helpers import bearer, new_lineage, post_state_indexed, state_body, unique
from fedstack.bridge import BridgeSettings, running_bridge
from fedstack.bridge.store import create_token, open_engine
from fedstack.bridge.store._models import project_policies

BUCKET = "aws_s3_bucket.vault"


@dataclass
class Live:
    """A bridge and the tokens of one test project."""

    url: str
    project: str
    admin: str
    writer: str
    reader: str

    def put_policy(self, body: dict[str, Any], token: str | None = None) -> httpx.Response:
        return httpx.put(
            f"{self.url}/v1/projects/{self.project}/policy",
            json=body,
            headers=bearer(token or self.admin),
        )

    def place(self, stack: str, provider: str, region: str) -> None:
        answer = httpx.put(
            f"{self.url}/v1/stacks/{self.project}/{stack}",
            json={"provider": provider, "region": region},
            headers=bearer(self.writer),
        )
        assert answer.status_code == 200, answer.text

    def write(self, stack: str, serial: int, lineage: str, region: str) -> None:
        bucket = {
            "mode": "managed",
            "type": "aws_s3_bucket",
            "name": "vault",
            "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
            "instances": [{"schema_version": 0, "attributes": {"id": "v", "region": region}}],
        }
        helper = {
            "mode": "managed",
            "type": "random_id",
            "name": "suffix",
            "provider": 'provider["registry.terraform.io/hashicorp/random"]',
            "instances": [{"schema_version": 0, "attributes": {"id": "x"}}],
        }
        post_state_indexed(
            f"{self.url}/v1/states/{self.project}/{stack}",
            content=state_body(serial, lineage, [bucket, helper]),
            headers=bearer(self.writer),
        )

    def findings(self, **params: str) -> list[dict[str, Any]]:
        answer = httpx.get(
            f"{self.url}/v1/compliance/findings",
            params={"project": self.project, **params},
            headers=bearer(self.reader),
        )
        assert answer.status_code == 200, answer.text
        return list(answer.json()["items"])


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def live_bridge(
    request: pytest.FixtureRequest, new_database: Callable[[str], str]
) -> Iterator[tuple[str, str]]:
    db_url = new_database(request.param)
    with running_bridge(BridgeSettings(db_url=db_url, port=0)) as url:
        yield url, db_url


@pytest.fixture
def live(live_bridge: tuple[str, str]) -> Live:
    url, db_url = live_bridge
    project = unique("live")
    engine = open_engine(db_url)
    try:
        tokens = [
            create_token(engine, project, s).secret for s in ("admin", "state:write", "state:read")
        ]
    finally:
        engine.dispose()
    return Live(url, project, *tokens)


def test_a_bucket_moved_outside_policy_out_of_band_becomes_a_live_finding_then_resolves(
    live: Live,
) -> None:
    assert live.put_policy({"preset": "eu-data-residency"}).status_code == 200
    lineage = new_lineage()
    live.write("vault", 1, lineage, "eu-central-1")  # placed by its region: sandbox-de de-fra
    assert live.findings() == []
    # Someone recreated the bucket in Zurich by hand; a refresh-only apply wrote the new state.
    live.write("vault", 2, lineage, "eu-central-2")
    (finding,) = live.findings(state="open")
    assert (finding["stack"], finding["address"], finding["rule_id"]) == (
        "vault",
        BUCKET,
        "data-location-eu",
    )
    assert (finding["provider"], finding["region"], finding["country"]) == (
        "sandbox-de",
        "ch-zrh",
        "CH",
    )
    page = httpx.get(f"{live.url}/dashboard/compliance", headers=bearer(live.reader)).text
    assert BUCKET in page and "data-location-eu" in page and "still failing" in page
    stack_page = httpx.get(
        f"{live.url}/dashboard/stacks/{live.project}/vault", headers=bearer(live.reader)
    ).text
    assert "data-location-eu" in stack_page and "failing" in stack_page
    live.write("vault", 3, lineage, "eu-central-2")  # still outside: the same finding
    (again,) = live.findings()
    assert again["first_seen_at"] == finding["first_seen_at"]
    assert again["last_seen_at"] > finding["last_seen_at"]
    live.write("vault", 4, lineage, "eu-central-1")  # moved back
    (resolved,) = live.findings()
    assert resolved["state"] == "resolved" and resolved["resolved_at"] is not None
    assert resolved["first_seen_at"] == finding["first_seen_at"]
    assert live.findings(state="open") == []


def test_stack_metadata_placing_a_stack_outside_policy_is_a_finding_and_a_new_period_each_time(
    live: Live,
) -> None:
    lineage = new_lineage()
    live.place("vault", "sandbox-de", "de-fra")
    live.write("vault", 1, lineage, "eu-central-1")
    assert live.findings() == []  # no policy yet: nothing is checked
    assert live.put_policy({"preset": "eu-data-residency"}).status_code == 200
    assert live.findings() == []
    live.place("vault", "sandbox-de", "ch-zrh")
    assert [(f["address"], f["state"]) for f in live.findings()] == [(BUCKET, "open")]
    live.place("vault", "sandbox-de", "de-fra")
    live.place("vault", "sandbox-de", "ch-zrh")
    assert [(f["address"], f["state"]) for f in live.findings()] == [
        (BUCKET, "open"),
        (BUCKET, "resolved"),
    ]
    removed = httpx.delete(
        f"{live.url}/v1/projects/{live.project}/policy", headers=bearer(live.admin)
    )
    assert removed.status_code == 204
    assert live.findings(state="open") == []


def test_a_yaml_policy_applies_at_once_and_bad_policies_are_refused(live: Live) -> None:
    live.write("vault", 1, new_lineage(), "eu-central-1")  # Germany
    only_france = "name: france-only\nrules:\n- id: countries-allowed\n  countries: [FR]\n"
    answer = live.put_policy({"yaml": only_france})
    assert answer.status_code == 200, answer.text
    assert answer.json()["name"] == "france-only"
    assert [(f["rule_id"], f["country"]) for f in live.findings(state="open")] == [
        ("countries-allowed", "DE")
    ]
    assert live.put_policy({"preset": "no-such-preset"}).status_code == 400
    broken = live.put_policy({"yaml": "rules: [\n"})
    assert broken.status_code == 400 and "not valid YAML" in broken.json()["error"]
    unknown_rule = live.put_policy({"yaml": "rules:\n- id: moon-only\n"})
    assert unknown_rule.status_code == 400
    assert live.put_policy({"preset": "eu-data-residency"}, token=live.writer).status_code == 403
    evaluated = httpx.post(
        f"{live.url}/v1/compliance/evaluate",
        params={"project": live.project},
        headers=bearer(live.writer),
    )
    assert evaluated.status_code == 200 and evaluated.json()["open"] == 1


def test_a_stored_policy_this_release_cannot_read_never_blocks_a_state_write(
    live: Live, live_bridge: tuple[str, str]
) -> None:
    lineage = new_lineage()
    assert live.put_policy({"preset": "eu-data-residency"}).status_code == 200
    live.write("vault", 1, lineage, "eu-central-2")
    assert len(live.findings(state="open")) == 1
    # As if a later release renamed the preset this project was set to.
    engine = open_engine(live_bridge[1])
    try:
        with engine.begin() as conn:
            conn.execute(
                project_policies.update()
                .where(project_policies.c.project == live.project)
                .values(document="renamed-preset")
            )
    finally:
        engine.dispose()
    live.write("vault", 2, lineage, "eu-central-1")  # answers 200 (checked in write)
    assert len(live.findings(state="open")) == 1  # left as it was, not silently resolved
