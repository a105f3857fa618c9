"""Malformed state structures are refused with a 400 naming the problem, never stored to break a reader.

The fuzz generates state documents whose known fields take any JSON value; whatever the bridge
accepts must read back byte for byte and leave the inventory and version listing readable.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from bridge_helpers import BridgeProcess, Tokens, bearer, new_lineage, unique
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

_JSON = {"Content-Type": "application/json"}


def _state(**fields: Any) -> dict[str, Any]:
    return {
        "version": 4,
        "terraform_version": "1.11.4",
        "serial": 1,
        "lineage": new_lineage(),
        "outputs": {},
        "resources": [],
        **fields,
    }


def _resource(**fields: Any) -> dict[str, Any]:
    return {
        "mode": "managed",
        "type": "aws_s3_bucket",
        "name": "b",
        "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
        "instances": [{"schema_version": 0, "attributes": {"id": "b"}}],
        **fields,
    }


def _deep(levels: int) -> Any:
    node: Any = "leaf"
    for _ in range(levels):
        node = {"a": node}
    return node


MALFORMED: list[tuple[str, bytes, str]] = [
    ("version 3", json.dumps(_state(version=3)).encode(), "'version' is 3"),
    ("version text", json.dumps(_state(version="4")).encode(), "'version'"),
    (
        "resources object",
        json.dumps(_state(resources={"a": 1})).encode(),
        "'resources' must be a list",
    ),
    (
        "resource string",
        json.dumps(_state(resources=["x"])).encode(),
        "resources[0] must be an object",
    ),
    (
        "unknown mode",
        json.dumps(_state(resources=[_resource(mode="x")])).encode(),
        "resources[0].mode",
    ),
    (
        "type number",
        json.dumps(_state(resources=[_resource(type=7)])).encode(),
        "resources[0].type",
    ),
    (
        "type too long",
        json.dumps(_state(resources=[_resource(type="t" * 500)])).encode(),
        "resources[0].type",
    ),
    (
        "NUL in name",
        json.dumps(_state(resources=[_resource(name="a\u0000b")])).encode(),
        "resources[0].name",
    ),
    (
        "instances object",
        json.dumps(_state(resources=[_resource(instances={})])).encode(),
        "instances must be a list",
    ),
    (
        "attributes list",
        json.dumps(_state(resources=[_resource(instances=[{"attributes": [1]}])])).encode(),
        "instances[0].attributes must be an object",
    ),
    (
        "index key float",
        json.dumps(_state(resources=[_resource(instances=[{"index_key": 1.5}])])).encode(),
        "index_key",
    ),
    (
        "sensitive paths not lists",
        json.dumps(
            _state(resources=[_resource(instances=[{"sensitive_attributes": "x"}])])
        ).encode(),
        "sensitive_attributes",
    ),
    (
        "deep attributes",
        json.dumps(_state(resources=[_resource(instances=[{"attributes": _deep(200)}])])).encode(),
        "nests deeper than 64",
    ),
    ("outputs list", json.dumps(_state(outputs=[1])).encode(), "'outputs' must be an object"),
    (
        "output without value",
        json.dumps(_state(outputs={"o": {"type": "string"}})).encode(),
        "outputs.o",
    ),
    (
        "NaN",
        b'{"version": 4, "serial": 1, "lineage": "l", "outputs": {"o": {"value": NaN}}}',
        "not JSON",
    ),
    ("deep body", b"[" * 200_000 + b"]" * 200_000, "nests too deeply"),
    (
        "encrypted data number",
        json.dumps({"encrypted_data": 5, "encryption_version": "v0"}).encode(),
        "encrypted_data",
    ),
    (
        "encrypted data not base64",
        json.dumps({"encrypted_data": "%%%", "encryption_version": "v0"}).encode(),
        "not base64",
    ),
    (
        "encrypted without version",
        json.dumps({"encrypted_data": "c2VhbGVk"}).encode(),
        "encryption_version",
    ),
    (
        "encrypted meta list",
        json.dumps({"encrypted_data": "c2VhbGVk", "encryption_version": "v0", "meta": []}).encode(),
        "'meta'",
    ),
]


@pytest.mark.parametrize(("case", "body", "named"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_state_is_refused_with_400_naming_the_problem(
    bridge: BridgeProcess, tokens: Tokens, case: str, body: bytes, named: str
) -> None:
    url = f"{bridge.url}/v1/states/{tokens.project}/{unique('s')}"
    refused = httpx.post(url, content=body, headers=bearer(tokens.write) | _JSON)
    assert refused.status_code == 400, (case, refused.text)
    assert named in refused.json()["error"], refused.json()
    assert httpx.get(url, headers=bearer(tokens.read)).status_code == 204  # nothing stored


_ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=12,
)


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(strategy, _ANY_JSON)


_INSTANCE = st.fixed_dictionaries(
    {},
    optional={
        "index_key": _maybe(st.integers(0, 5) | st.text(max_size=4)),
        "schema_version": _maybe(st.integers(0, 3)),
        "attributes": _maybe(
            st.dictionaries(st.sampled_from(["id", "region", "password", "tags"]), _ANY_JSON)
        ),
        "sensitive_attributes": _maybe(st.lists(st.lists(_ANY_JSON, max_size=2), max_size=2)),
        "dependencies": _maybe(st.lists(st.text(max_size=6), max_size=2)),
    },
)
_RESOURCE = st.fixed_dictionaries(
    {
        "mode": _maybe(st.sampled_from(["managed", "data"])),
        "type": _maybe(st.text(min_size=1, max_size=10)),
        "name": _maybe(st.text(min_size=1, max_size=10)),
        "instances": _maybe(st.lists(_INSTANCE, max_size=3)),
    },
    optional={"module": _maybe(st.text(max_size=8)), "provider": _maybe(st.text(max_size=30))},
)
_OUTPUTS = st.dictionaries(
    st.text(min_size=1, max_size=6),
    _maybe(
        st.fixed_dictionaries({"value": _ANY_JSON}, optional={"sensitive": _maybe(st.booleans())})
    ),
    max_size=3,
)
_DOCUMENT = st.fixed_dictionaries(
    {
        "version": _maybe(st.just(4)),
        "serial": st.integers(1, 10),
        "lineage": st.just("fuzz-lineage"),
    },
    optional={
        "resources": _maybe(st.lists(_RESOURCE, max_size=3)),
        "outputs": _maybe(_OUTPUTS),
        "check_results": _ANY_JSON,
        "encrypted_data": _maybe(st.sampled_from(["c2VhbGVk", ""])),
        "encryption_version": _maybe(st.just("v0")),
        "meta": _ANY_JSON,
    },
)


def test_fuzzed_state_bodies_are_refused_with_4xx_or_stored_readably(
    bridge: BridgeProcess, tokens: Tokens
) -> None:
    """Bounded: 60 generated documents per database; each accepted one must read back cleanly."""
    headers = bearer(tokens.write) | _JSON
    statuses: list[int] = []
    with httpx.Client(base_url=bridge.url, timeout=30) as client:

        @given(document=_DOCUMENT)
        @settings(
            max_examples=60,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def exercise(document: dict[str, Any]) -> None:
            url = f"/v1/states/{tokens.project}/{unique('f')}"
            body = json.dumps(document).encode()
            answer = client.post(url, content=body, headers=headers)
            statuses.append(answer.status_code)
            assert answer.status_code in (200, 400), (answer.status_code, answer.text, document)
            if answer.status_code == 400:
                assert answer.json()["error"]
                return
            assert client.get(url, headers=bearer(tokens.read)).content == body
            assert client.get(url + "/versions", headers=bearer(tokens.read)).status_code == 200
            project, stack = url.split("/")[3:5]
            listed = client.get(
                "/v1/inventory",
                params={"project": project, "stack": stack},
                headers=bearer(tokens.read),
            )
            assert listed.status_code == 200, listed.text

        exercise()
    assert statuses.count(200) >= 3 and statuses.count(400) >= 3, statuses
