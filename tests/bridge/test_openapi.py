"""The OpenAPI document fuzzed with schemathesis (bounded), on SQLite and PostgreSQL: never a 5xx,
every status answered is one the document lists for that operation, and every body matches the
schema the document gives it."""

from __future__ import annotations

from typing import Any

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
from schemathesis.specs.openapi.checks import response_schema_conformance


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
            try:  # the body is what the document's schema for that status says
                case.validate_response(response, checks=[response_schema_conformance])
            except AssertionError as exc:
                failures.append(
                    f"{case.method} {case.formatted_path}: body off-schema: {exc}"[:600]
                )

        exercise()
    assert failures == []
    # Not a vacuous run: authenticated requests got through and were both served and refused.
    assert statuses.count(200) >= 10 and any(400 <= s < 500 for s in statuses), sorted(
        set(statuses)
    )


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def test_every_json_answer_has_a_schema_that_says_what_is_in_it(bridge: BridgeProcess) -> None:
    """Every 200/201 a route sends declares its body; a JSON body has a schema that is not empty
    (an object with properties, or a type), so clients generated from the document get types."""
    document = httpx.get(f"{bridge.url}/openapi.json").json()
    missing: list[str] = []
    checked = 0
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            for code in ("200", "201"):
                answer = operation["responses"].get(code)
                if answer is None:
                    continue
                where = f"{method.upper()} {path} {code}"
                content = answer.get("content") or {}
                if not content:
                    missing.append(f"{where}: no content declared")
                for media, body in content.items():
                    schema = _resolve(document, body.get("schema") or {})
                    checked += 1
                    if media == "application/json" and not (
                        schema.get("properties") or schema.get("type")
                    ):
                        missing.append(f"{where}: empty schema {body.get('schema')}")
                    if schema.get("type") == "object" and "properties" in schema:
                        empty = [n for n, p in schema["properties"].items() if not p]
                        if empty:
                            missing.append(f"{where}: untyped fields {empty}")
    assert missing == []
    assert checked >= 30  # every route of the API, not a handful
    listings = ["/v1/inventory", "/v1/drift-runs", "/v1/drift/resources", "/v1/compliance/findings"]
    for path in [*listings, "/v1/unmanaged/resources", "/v1/audit"]:
        body = document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        fields = _resolve(document, body["schema"])["properties"]
        assert {"total", "limit", "offset", "next_after", "total_exact"} <= set(fields), path


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
