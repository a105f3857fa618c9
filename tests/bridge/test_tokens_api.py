"""`/v1/tokens`: an admin creates a token (shown once), reads its metadata, revokes it."""

from __future__ import annotations

import httpx
from bridge_helpers import BridgeProcess, bearer, make_tokens, unique


def test_admin_creates_reads_and_revokes_a_token(sqlite_bridge: BridgeProcess) -> None:
    tokens = make_tokens(sqlite_bridge.db_url, unique("tok"))
    url = f"{sqlite_bridge.url}/v1/tokens"
    created = httpx.post(
        url,
        json={"project": tokens.project, "scope": "state:read", "description": "ci"},
        headers=bearer(tokens.admin),
    )
    assert created.status_code == 201, created.text
    new = created.json()
    assert new["token"].startswith(f"fst_{new['id']}_")
    inventory = f"{sqlite_bridge.url}/v1/inventory"
    assert httpx.get(inventory, headers=bearer(new["token"])).status_code == 200

    read = httpx.get(f"{url}/{new['id']}", headers=bearer(tokens.admin))
    assert read.json() == {
        "id": new["id"],
        "project": tokens.project,
        "scope": "state:read",
        "description": "ci",
        "revoked": False,
    }
    assert new["token"].split("_")[-1] not in read.text

    assert httpx.delete(f"{url}/{new['id']}", headers=bearer(tokens.admin)).status_code == 204
    assert httpx.get(inventory, headers=bearer(new["token"])).status_code == 401
    assert httpx.get(f"{url}/{new['id']}", headers=bearer(tokens.admin)).json()["revoked"] is True
    assert httpx.delete(f"{url}/{new['id']}", headers=bearer(tokens.admin)).status_code == 404


def test_tokens_need_admin_on_the_project(sqlite_bridge: BridgeProcess) -> None:
    tokens = make_tokens(sqlite_bridge.db_url, unique("tok"))
    url = f"{sqlite_bridge.url}/v1/tokens"
    body = {"project": tokens.project, "scope": "admin"}
    assert httpx.post(url, json=body, headers=bearer(tokens.write)).status_code == 403
    everywhere = {"project": "*", "scope": "state:read"}
    assert httpx.post(url, json=everywhere, headers=bearer(tokens.admin)).status_code == 403
    assert httpx.post(url, json=everywhere, headers=bearer(tokens.root)).status_code == 201
    bad = {"project": tokens.project, "scope": "superuser"}
    assert httpx.post(url, json=bad, headers=bearer(tokens.admin)).status_code == 400
    other = make_tokens(sqlite_bridge.db_url, unique("tok"))
    mine = httpx.post(
        url, json={"project": tokens.project, "scope": "state:read"}, headers=bearer(tokens.admin)
    ).json()
    assert httpx.get(f"{url}/{mine['id']}", headers=bearer(other.admin)).status_code == 403
    assert httpx.delete(f"{url}/{mine['id']}", headers=bearer(other.admin)).status_code == 403
