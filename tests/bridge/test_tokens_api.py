"""`/v1/tokens`: an admin creates a token (shown once), reads its metadata, revokes it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
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
        "expires_at": None,
        "expired": False,
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


def test_a_token_may_expire_at_a_moment_or_after_a_duration(sqlite_bridge: BridgeProcess) -> None:
    tokens = make_tokens(sqlite_bridge.db_url, unique("tok"))
    url = f"{sqlite_bridge.url}/v1/tokens"
    base = {"project": tokens.project, "scope": "state:read"}
    before = datetime.now(UTC)
    within = httpx.post(url, json=base | {"expires_in": "12h"}, headers=bearer(tokens.admin))
    assert within.status_code == 201, within.text
    expires_at = datetime.fromisoformat(within.json()["expires_at"])
    assert before + timedelta(hours=12) <= expires_at <= datetime.now(UTC) + timedelta(hours=12)
    shown = httpx.get(f"{url}/{within.json()['id']}", headers=bearer(tokens.admin)).json()
    assert datetime.fromisoformat(shown["expires_at"]) == expires_at and shown["expired"] is False

    at = httpx.post(
        url, json=base | {"expires_at": "2031-01-31T18:00:00+02:00"}, headers=bearer(tokens.admin)
    )
    assert at.status_code == 201, at.text
    assert at.json()["expires_at"] == "2031-01-31T16:00:00Z"
    works = httpx.get(f"{sqlite_bridge.url}/v1/inventory", headers=bearer(at.json()["token"]))
    assert works.status_code == 200

    refusals = [
        ({"expires_at": "2020-01-01T00:00:00Z"}, "in the past"),
        ({"expires_in": "30d", "expires_at": "2031-01-01T00:00:00Z"}, "not both"),
        ({"expires_in": "0d"}, "is not a duration"),
        ({"expires_in": "soon"}, "expires_in"),
        ({"expires_at": "2031-01-01T00:00:00"}, "expires_at"),  # no offset: ambiguous
    ]
    for extra, says in refusals:
        refused = httpx.post(url, json=base | extra, headers=bearer(tokens.admin))
        assert refused.status_code == 400, (extra, refused.text)
        assert says in refused.json()["error"], (extra, refused.text)


def test_bridge_client_creates_expiring_tokens_in_both_forms(sqlite_bridge: BridgeProcess) -> None:
    from fedstack.client import BridgeClient
    from fedstack.errors import ConfigError

    tokens = make_tokens(sqlite_bridge.db_url, unique("tok"))
    with BridgeClient(sqlite_bridge.url, tokens.admin) as client:
        before = datetime.now(UTC)
        within = client.create_token(tokens.project, "state:read", "ci", expires_in="12h")
        expires_at = datetime.fromisoformat(within["expires_at"])
        assert before + timedelta(hours=12) <= expires_at
        assert expires_at <= datetime.now(UTC) + timedelta(hours=12)
        assert client.token(within["id"])["expired"] is False

        naive = datetime(2031, 1, 31, 16, 0)  # naive means UTC, as for --expires
        at = client.create_token(tokens.project, "state:read", expires_at=naive)
        assert at["expires_at"] == "2031-01-31T16:00:00Z"
        forever = client.create_token(tokens.project, "state:read")
        assert forever["expires_at"] is None

        for wrong in ({"expires_in": "30 days"}, {"expires_in": "1d", "expires_at": naive}):
            with pytest.raises(ConfigError):
                client.create_token(tokens.project, "state:read", **wrong)  # type: ignore[arg-type]
    listed = httpx.get(f"{sqlite_bridge.url}/v1/tokens/{at['id']}", headers=bearer(tokens.admin))
    assert listed.json()["expires_at"] == "2031-01-31T16:00:00Z"
