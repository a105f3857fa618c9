"""The OpenAPI document fuzzed with schemathesis (bounded), on SQLite and PostgreSQL: never a 5xx,
and every status answered is one the document lists for that operation."""

from __future__ import annotations

import httpx
import schemathesis
from bridge_helpers import (
    MAX_STATE_BYTES,
    BridgeProcess,
    Tokens,
    bearer,
    lock_info,
    make_tokens,
    new_lineage,
    state_body,
    unique,
)
from hypothesis import HealthCheck, given, settings


def test_no_generated_request_makes_the_bridge_answer_5xx(bridge: BridgeProcess) -> None:
    tokens = make_tokens(bridge.db_url, unique("fuzz"))
    schema = schemathesis.openapi.from_url(f"{bridge.url}/openapi.json")
    document = httpx.get(f"{bridge.url}/openapi.json").json()
    headers = {"Authorization": f"Bearer {tokens.root}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12  # the document lists the routes (LOCK/UNLOCK are outside OpenAPI)
    failures: list[str] = []
    statuses: list[int] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=15,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def exercise(case: schemathesis.Case) -> None:
            response = case.call(headers=headers, timeout=30)
            statuses.append(response.status_code)
            documented = document["paths"][operation.path][operation.method.lower()]["responses"]
            if str(response.status_code) not in documented:
                failures.append(
                    f"{case.method} {case.formatted_path}: {response.status_code} is not in the "
                    f"documented {sorted(documented)}: {response.text[:200]}"
                )
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:200]}"
                )

        exercise()
    assert failures == []
    # Not a vacuous run: authenticated requests got through and were both served and refused.
    assert statuses.count(200) >= 10 and any(400 <= s < 500 for s in statuses), sorted(
        set(statuses)
    )


def test_the_document_lists_the_refusals_the_state_routes_really_send(
    bridge: BridgeProcess, tokens: Tokens
) -> None:
    """Conformance: drive each refusal for real and find its code in the operation's responses."""
    document = httpx.get(f"{bridge.url}/openapi.json").json()
    assert '"422"' not in httpx.get(f"{bridge.url}/openapi.json").text  # 400 is what is sent
    state = "/v1/states/{project}/{stack}"
    url = f"{bridge.url}/v1/states/{tokens.project}/app"
    write = bearer(tokens.write) | {"Content-Type": "application/json"}
    lineage = new_lineage()
    info = lock_info()
    seen: list[tuple[str, str, int]] = []

    def answer(method: str, template: str, response: httpx.Response) -> None:
        seen.append((method, template, response.status_code))

    answer("post", state, httpx.post(url, content=b"not json", headers=write))
    answer("post", state, httpx.post(url, content=state_body(1, lineage), headers=write))
    answer("post", state, httpx.post(url, content=state_body(1, new_lineage()), headers=write))
    big = state_body(2, lineage, pad=MAX_STATE_BYTES)
    answer("put", state, httpx.put(url, content=big, headers=write))
    answer(
        "post",
        state,
        httpx.post(
            url, content=b"x", headers=bearer(tokens.write) | {"Content-Type": "text/plain"}
        ),
    )
    answer("post", state + "/lock", httpx.post(url + "/lock", json=info, headers=write))
    answer("post", state + "/lock", httpx.post(url + "/lock", json=lock_info(), headers=write))
    answer("post", state, httpx.post(url, content=state_body(2, lineage), headers=write))
    answer("delete", state, httpx.delete(url, headers=write))
    answer(
        "post",
        state + "/versions/{version}/restore",
        httpx.post(url + "/versions/1/restore", headers=bearer(tokens.admin)),
    )
    answer(
        "get",
        state + "/versions/{version}",
        httpx.get(url + "/versions/9", headers=bearer(tokens.read)),
    )
    answer(
        "get",
        state + "/versions",
        httpx.get(url.replace("/app", "/none") + "/versions", headers=bearer(tokens.read)),
    )
    answer("get", state, httpx.get(url.replace("/app", "/BAD"), headers=bearer(tokens.read)))
    answer("get", state, httpx.get(url))
    answer("get", state, httpx.get(url, headers=bearer(tokens.other_project_write)))
    answer(
        "get",
        state + "/versions/{version}",
        httpx.get(url + "/versions/0", headers=bearer(tokens.read)),
    )
    codes = {code for _, _, code in seen}
    assert {400, 401, 403, 404, 409, 413, 415, 423} <= codes, sorted(codes)
    for method, template, code in seen:
        documented = document["paths"][template][method]["responses"]
        assert str(code) in documented, (method, template, code, sorted(documented))
    names = document["paths"][state]["get"]["parameters"]
    assert {p["name"]: p["schema"].get("pattern") for p in names if p["in"] == "path"} == {
        "project": "^[a-z0-9._-]{1,128}$",
        "stack": "^[a-z0-9._-]{1,128}$",
    }
