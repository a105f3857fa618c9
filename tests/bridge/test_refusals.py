"""Every refusal that protects state: a clear status and message, and nothing stored."""

from __future__ import annotations

import base64
import hashlib
import json

import httpx
import pytest
from bridge_helpers import MAX_STATE_BYTES, BridgeProcess, Tokens, bearer, new_lineage, state_body


def _url(bridge: BridgeProcess, tokens: Tokens, stack: str = "app") -> str:
    return f"{bridge.url}/v1/states/{tokens.project}/{stack}"


def _versions(bridge: BridgeProcess, tokens: Tokens, stack: str = "app") -> list[int]:
    found = httpx.get(_url(bridge, tokens, stack) + "/versions", headers=bearer(tokens.read))
    return [] if found.status_code == 404 else [v["version"] for v in found.json()["versions"]]


def test_lineage_mismatch_is_refused_with_409_saying_so(
    bridge: BridgeProcess, tokens: Tokens
) -> None:
    url = _url(bridge, tokens)
    httpx.post(
        url, content=state_body(1, new_lineage()), headers=bearer(tokens.write)
    ).raise_for_status()
    refused = httpx.post(url, content=state_body(2, new_lineage()), headers=bearer(tokens.write))
    assert refused.status_code == 409
    assert "lineage mismatch" in refused.json()["error"]
    assert _versions(bridge, tokens) == [1]


def test_serial_not_above_the_stored_one_is_refused_unless_identical(
    bridge: BridgeProcess, tokens: Tokens
) -> None:
    url = _url(bridge, tokens)
    lineage = new_lineage()
    stored = state_body(3, lineage)
    httpx.post(url, content=stored, headers=bearer(tokens.write)).raise_for_status()
    for serial in (3, 2):
        refused = httpx.post(
            url, content=state_body(serial, lineage, pad=7), headers=bearer(tokens.write)
        )
        assert refused.status_code == 409
        assert f"serial {serial} is not above the stored serial 3" in refused.json()["error"]
    again = httpx.post(url, content=stored, headers=bearer(tokens.write))
    answer = again.json()
    assert isinstance(answer.pop("indexed"), bool)  # the retry's inventory: test_inventory
    assert answer == {"version": 1, "created": False, "serial": 3}
    assert _versions(bridge, tokens) == [1]
    assert httpx.get(url, headers=bearer(tokens.read)).content == stored


def test_body_over_the_size_limit_is_refused_with_413(
    bridge: BridgeProcess, tokens: Tokens
) -> None:
    url = _url(bridge, tokens)
    big = state_body(1, new_lineage(), pad=MAX_STATE_BYTES + 10)
    declared = httpx.post(url, content=big, headers=bearer(tokens.write))
    assert declared.status_code == 413

    def chunks():  # no Content-Length: the bridge must stop reading at the limit
        for start in range(0, len(big), 256 * 1024):
            yield big[start : start + 256 * 1024]

    streamed = httpx.post(url, content=chunks(), headers=bearer(tokens.write))
    assert streamed.status_code == 413
    assert "limit" in streamed.json()["error"]
    assert _versions(bridge, tokens) == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"this is not json", "not JSON"),
        (b"[1, 2, 3]", "JSON object"),
        (b'{"version": 4, "lineage": "x"}', "'serial'"),
        (b'{"version": 4, "serial": 1}', "'lineage'"),
        (b"", "empty"),
    ],
)
def test_body_that_is_not_a_state_is_refused_with_400(
    bridge: BridgeProcess, tokens: Tokens, body: bytes, message: str
) -> None:
    refused = httpx.post(_url(bridge, tokens), content=body, headers=bearer(tokens.write))
    assert refused.status_code == 400
    assert message in refused.json()["error"]
    assert _versions(bridge, tokens) == []


@pytest.mark.parametrize(
    "name", ["UpperCase", "a" * 129, "semi;colon", "white space", "tilde~", "dollar$"]
)
def test_names_outside_the_allowed_set_are_refused_with_400(
    bridge: BridgeProcess, tokens: Tokens, name: str
) -> None:
    for url in (
        f"{bridge.url}/v1/states/{tokens.project}/{name}",
        f"{bridge.url}/v1/states/{name}/app",
    ):
        refused = httpx.post(url, content=state_body(1, new_lineage()), headers=bearer(tokens.root))
        assert refused.status_code == 400, url
        assert "must match [a-z0-9._-]{1,128}" in refused.json()["error"]


def test_names_with_path_separators_never_reach_a_stack(
    bridge: BridgeProcess, tokens: Tokens
) -> None:
    for raw in (
        f"/v1/states/{tokens.project}/a%2Fb",
        f"/v1/states/{tokens.project}/..",
        f"/v1/states/{tokens.project}/a/b/c",
    ):
        response = httpx.post(
            bridge.url + raw, content=state_body(1, new_lineage()), headers=bearer(tokens.root)
        )
        assert response.status_code in (400, 404, 405), raw
    stacks = httpx.get(f"{bridge.url}/v1/stacks", headers=bearer(tokens.admin)).json()["stacks"]
    assert stacks == []


def test_content_md5_mismatch_is_refused_with_400(bridge: BridgeProcess, tokens: Tokens) -> None:
    body = state_body(1, new_lineage())
    wrong = base64.b64encode(hashlib.md5(body + b" ").digest()).decode()
    refused = httpx.post(
        _url(bridge, tokens), content=body, headers={**bearer(tokens.write), "Content-MD5": wrong}
    )
    assert refused.status_code == 400
    assert "Content-MD5" in refused.json()["error"]
    assert _versions(bridge, tokens) == []


def test_encrypted_opentofu_state_is_stored_as_is_and_not_indexed(
    bridge: BridgeProcess, tokens: Tokens
) -> None:
    url = _url(bridge, tokens)
    sealed = json.dumps(
        {
            "meta": {"key_provider.pbkdf2.main": "eyJzYWx0Ijo="},
            "encrypted_data": "c2VjcmV0",
            "encryption_version": "v0",
        }
    ).encode()
    for _ in range(2):
        assert (
            httpx.post(url, content=sealed + b" " * _, headers=bearer(tokens.write)).status_code
            == 200
        )
    assert httpx.get(url, headers=bearer(tokens.read)).content == sealed + b" "
    assert _versions(bridge, tokens) == [1, 2]
    page = httpx.get(
        f"{bridge.url}/v1/inventory",
        params={"project": tokens.project},
        headers=bearer(tokens.read),
    ).json()
    assert page["items"] == []
    assert page["unindexed"] == [
        {"project": tokens.project, "stack": "app", "note": "encrypted, not indexed"}
    ]


_SIMPLE_TYPES = (
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
)


def test_browser_simple_content_types_are_refused_on_every_state_change(
    bridge: BridgeProcess, tokens: Tokens
) -> None:
    """The attack: a cross-site form posting text/plain with the browser's remembered basic auth."""
    url = _url(bridge, tokens)
    basic = base64.b64encode(f"fedstack:{tokens.admin}".encode()).decode()
    body = state_body(1, new_lineage())
    routes = [
        ("POST", url),
        ("PUT", url),
        ("DELETE", url),
        ("LOCK", url + "/lock"),
        ("UNLOCK", url + "/lock"),
        ("POST", url + "/lock"),
        ("DELETE", url + "/lock"),
        ("POST", url + "/versions/1/restore"),
        ("PUT", f"{bridge.url}/v1/stacks/{tokens.project}/app"),
        ("PUT", f"{bridge.url}/v1/projects/{tokens.project}/policy"),
        ("POST", f"{bridge.url}/v1/drift-runs"),
    ]
    for method, target in routes:
        for content_type in _SIMPLE_TYPES:
            refused = httpx.request(
                method,
                target,
                content=body,
                headers={"Authorization": f"Basic {basic}", "Content-Type": content_type},
            )
            assert refused.status_code == 415, (method, target, content_type, refused.text)
            assert "application/json" in refused.json()["error"]
        foreign = httpx.request(
            method,
            target,
            content=body,
            headers={
                "Authorization": f"Basic {basic}",
                "Content-Type": "application/json",
                "Origin": "https://evil.example",
            },
        )
        assert foreign.status_code == 403, (method, target, foreign.text)
        assert "cross-site" in foreign.json()["error"]
    assert _versions(bridge, tokens) == []  # nothing stored
    accepted = httpx.post(
        url,
        content=body,
        headers={"Authorization": f"Basic {basic}", "Content-Type": "application/json"},
    )
    assert accepted.status_code == 200  # what Terraform sends
