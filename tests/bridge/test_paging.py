"""Every paged listing of the bridge reads `limit`, `offset` and `after` the same way, refuses bad
values with the same 400, and walks page by page through `next_after` to exactly the items of one
big page. Real bridge on SQLite and PostgreSQL, real HTTP, data written through the real routes.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import httpx
import pytest
from bridge_helpers import BridgeProcess, Tokens, bearer, bucket_finding, new_lineage, state_body
from drift_runs_helpers import BUCKET, drifted, report, stack

from fedstack.unmanaged import ProviderOutcome, Scope, UnmanagedReport, report_document

# (path, the key holding the items)
LISTINGS = [
    ("/v1/inventory", "items"),
    ("/v1/audit", "entries"),
    ("/v1/drift-runs", "items"),
    ("/v1/drift/resources", "items"),
    ("/v1/compliance/findings", "items"),
    ("/v1/unmanaged/resources", "items"),
]
STACKS = ("s1", "s2", "s3")


def _unmanaged_run(n: int) -> bytes:
    scope = Scope(provider="sandbox-fr", region="fr-par", kind="object_storage")
    findings = [bucket_finding(f"b{i}") for i in range(n)]
    now = dt.datetime.now(dt.UTC)
    run = UnmanagedReport(
        run_id=f"paging-{n}",
        started_at=now,
        finished_at=now,
        fedstack_version="0",
        providers=[ProviderOutcome(provider="sandbox-fr", status="checked", scopes=[scope])],
        findings=findings,
    )
    return json.dumps(report_document(run)).encode()


@pytest.fixture
def filled(bridge: BridgeProcess, tokens: Tokens) -> Tokens:
    """Three items or more in every listing of the test's project."""
    admin = bearer(tokens.admin)
    url = bridge.url
    policy = "name: france-only\nrules:\n- id: countries-allowed\n  countries: [FR]\n"
    answer = httpx.put(
        f"{url}/v1/projects/{tokens.project}/policy", json={"yaml": policy}, headers=admin
    )
    assert answer.status_code == 200, answer.text
    for name in STACKS:
        bucket = {
            "mode": "managed",
            "type": "aws_s3_bucket",
            "name": "b",
            "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
            "instances": [
                {"schema_version": 0, "attributes": {"id": name, "region": "eu-central-1"}}
            ],
        }
        answer = httpx.post(
            f"{url}/v1/states/{tokens.project}/{name}",
            content=state_body(1, new_lineage(), [bucket]),
            headers=admin,
            params={"wait": "indexed"},  # indexed after the answer otherwise
        )
        assert answer.status_code == 200 and answer.json()["indexed"], answer.text
    for name in STACKS:  # one run per stack: three runs, three periods
        run = report(stack(name, drifted(BUCKET)))
        answer = httpx.post(f"{url}/v1/drift-runs", content=run.model_dump_json(), headers=admin)
        assert answer.status_code == 201, answer.text
    answer = httpx.post(f"{url}/v1/unmanaged-runs", content=_unmanaged_run(3), headers=admin)
    assert answer.status_code == 201, answer.text
    return tokens


def _get(bridge: BridgeProcess, tokens: Tokens, path: str, **params: Any) -> httpx.Response:
    params = {"project": tokens.project, **params}
    return httpx.get(f"{bridge.url}{path}", params=params, headers=bearer(tokens.admin), timeout=30)


@pytest.mark.parametrize(("path", "key"), LISTINGS)
def test_walking_next_after_gives_the_items_of_one_big_page(
    bridge: BridgeProcess, filled: Tokens, path: str, key: str
) -> None:
    whole = _get(bridge, filled, path, limit=100).json()
    assert whole["next_after"] is None and whole["total"] == len(whole[key]) >= 3
    walked: list[Any] = []
    after: str | None = None
    pages = 0
    while pages < 10:  # bounded: 3 to 5 items in pages of 2
        params: dict[str, Any] = {"limit": 2} | ({"after": after} if after else {})
        page = _get(bridge, filled, path, **params).json()
        assert list(page)[:4] == ["total", "limit", "offset", key], page
        assert (page["total"], page["limit"], page["offset"]) == (whole["total"], 2, 0)
        walked += page[key]
        pages += 1
        after = page["next_after"]
        if after is None:
            break
    assert walked == whole[key]
    assert pages >= 2
    skipped = _get(bridge, filled, path, limit=2, offset=1).json()
    assert skipped[key] == whole[key][1:3] and skipped["offset"] == 1


@pytest.mark.parametrize(("path", "key"), LISTINGS)
def test_bad_paging_values_are_refused_with_the_same_400(
    bridge: BridgeProcess, tokens: Tokens, path: str, key: str
) -> None:
    refusals = {}
    for name, value in [
        ("limit", "0"),
        ("limit", "1001"),
        ("limit", "many"),
        ("offset", "-1"),
        ("after", "not a cursor!"),
        ("after", "bm9wZQ"),  # base64 of "nope": the right alphabet, not a cursor
    ]:
        answer = _get(bridge, tokens, path, **{name: value})
        assert answer.status_code == 400, (path, name, value, answer.text)
        refusals[(name, value)] = answer.json()["error"]
    assert refusals[("after", "bm9wZQ")] == "the 'after' cursor is not one this bridge handed out"
    assert refusals[("limit", "0")].startswith("query.limit:")
    assert refusals[("after", "not a cursor!")].startswith("query.after:")
