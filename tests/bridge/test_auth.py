"""Tokens, scopes and the audit log: 401 and 403 kept apart, secrets never stored."""

from __future__ import annotations

import subprocess
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from cli_helpers import run_fedstack
from bridge_helpers import (
    BridgeProcess,
    Tokens,
    bearer,
    lock_info,
    new_lineage,
    set_token_expiry,
    state_body,
)
from fedstack.bridge.store import create_token, open_engine


def _url(bridge: BridgeProcess, tokens: Tokens) -> str:
    return f"{bridge.url}/v1/states/{tokens.project}/app"


def test_missing_or_unknown_credentials_answer_401(bridge: BridgeProcess, tokens: Tokens) -> None:
    url = _url(bridge, tokens)
    bare = httpx.get(url)
    assert bare.status_code == 401
    assert bare.headers["WWW-Authenticate"].startswith("Basic")
    forged = tokens.write[:-4] + "AAAA"
    for headers in (bearer(forged), bearer("not-a-token"), {"Authorization": "Digest abc"}):
        assert httpx.get(url, headers=headers).status_code == 401


def test_basic_auth_takes_the_token_as_password_and_ignores_the_user(
    bridge: BridgeProcess, tokens: Tokens
) -> None:
    url = _url(bridge, tokens)
    body = state_body(1, new_lineage())
    assert httpx.post(url, content=body, auth=("anything", tokens.write)).status_code == 200
    assert httpx.get(url, auth=("someone-else", tokens.read)).content == body
    assert httpx.get(url, auth=("x", "wrong")).status_code == 401


def test_valid_token_without_the_scope_or_project_answers_403(
    bridge: BridgeProcess, tokens: Tokens
) -> None:
    url = _url(bridge, tokens)
    body = state_body(1, new_lineage())
    read_only = httpx.post(url, content=body, headers=bearer(tokens.read))
    assert read_only.status_code == 403
    assert "needs state:write" in read_only.json()["error"]
    elsewhere = httpx.post(url, content=body, headers=bearer(tokens.other_project_write))
    assert elsewhere.status_code == 403
    assert "is for project" in elsewhere.json()["error"]
    assert (
        httpx.request(
            "LOCK", url + "/lock", json=lock_info(), headers=bearer(tokens.read)
        ).status_code
        == 403
    )
    assert httpx.get(f"{bridge.url}/v1/audit", headers=bearer(tokens.write)).status_code == 403
    assert httpx.get(url, headers=bearer(tokens.read)).status_code == 204  # nothing was stored


def test_audit_log_records_who_wrote_locked_and_unlocked(
    bridge: BridgeProcess, tokens: Tokens
) -> None:
    url = _url(bridge, tokens)
    info = lock_info()
    httpx.request("LOCK", url + "/lock", json=info, headers=bearer(tokens.write)).raise_for_status()
    httpx.post(
        url,
        params={"ID": info["ID"]},
        content=state_body(1, new_lineage()),
        headers=bearer(tokens.write),
    ).raise_for_status()
    httpx.request(
        "UNLOCK", url + "/lock", json=info, headers=bearer(tokens.write)
    ).raise_for_status()
    entries = httpx.get(
        f"{bridge.url}/v1/audit", params={"project": tokens.project}, headers=bearer(tokens.admin)
    ).json()["entries"]
    writer_id = tokens.write.split("_")[1]
    assert [(e["action"], e["who"], e["stack"]) for e in entries] == [
        ("unlock", writer_id, "app"),
        ("write", writer_id, "app"),
        ("lock", writer_id, "app"),
    ]
    assert entries[1]["detail"]["version"] == 1
    assert all(e["at"] for e in entries)


def test_project_admin_sees_only_its_own_audit_entries(
    bridge: BridgeProcess, tokens: Tokens
) -> None:
    other = f"{bridge.url}/v1/states/{tokens.project}-other/app"
    httpx.post(
        other, content=state_body(1, new_lineage()), headers=bearer(tokens.other_project_write)
    ).raise_for_status()
    mine = httpx.get(f"{bridge.url}/v1/audit", headers=bearer(tokens.admin)).json()["entries"]
    assert all(e["project"] == tokens.project for e in mine)
    everything = httpx.get(
        f"{bridge.url}/v1/audit",
        params={"project": f"{tokens.project}-other"},
        headers=bearer(tokens.root),
    ).json()
    assert everything["total"] == 1


def _fedstack(*args: str, db: str) -> subprocess.CompletedProcess[str]:
    return run_fedstack(*args, "--db", db, timeout=120)


def test_token_create_prints_a_working_token_once_and_stores_only_its_hash(
    bridge: BridgeProcess, tokens: Tokens, tmp_path: Path
) -> None:
    created = _fedstack(
        "token", "create", "--project", tokens.project, "--scope", "state:read", db=bridge.db_url
    )
    assert created.returncode == 0, created.stderr
    secret = created.stdout.strip()
    assert secret.startswith("fst_")
    assert httpx.get(_url(bridge, tokens), headers=bearer(secret)).status_code == 204
    listed = _fedstack("token", "list", "--json", db=bridge.db_url)
    assert secret.split("_")[1] in listed.stdout
    assert secret.split("_", 2)[2] not in listed.stdout
    if bridge.db_url.startswith("sqlite:///"):
        database = Path(bridge.db_url.removeprefix("sqlite:///"))
        raw = b"".join(p.read_bytes() for p in database.parent.glob(database.name + "*"))
        assert secret.split("_", 2)[2].encode() not in raw


def test_revoked_token_answers_401(bridge: BridgeProcess, tokens: Tokens) -> None:
    token_id = tokens.read.split("_")[1]
    assert _fedstack("token", "revoke", token_id, db=bridge.db_url).returncode == 0
    assert httpx.get(_url(bridge, tokens), headers=bearer(tokens.read)).status_code == 401


def test_an_expired_token_is_refused_on_every_route_and_named_to_its_holder_only(
    bridge: BridgeProcess, tokens: Tokens
) -> None:
    url = _url(bridge, tokens)
    body = state_body(1, new_lineage())
    httpx.post(url, content=body, headers=bearer(tokens.write)).raise_for_status()
    set_token_expiry(bridge.db_url, tokens.admin, datetime(2026, 1, 2, 3, 4, tzinfo=UTC))
    set_token_expiry(bridge.db_url, tokens.read, datetime.now(UTC) + timedelta(days=1))
    assert httpx.get(url, headers=bearer(tokens.read)).content == body  # not yet expired
    routes = [
        ("GET", url),
        ("POST", url),
        ("GET", url + "/versions"),
        ("LOCK", url + "/lock"),
        ("GET", f"{bridge.url}/v1/inventory"),
        ("GET", f"{bridge.url}/v1/audit"),
        ("GET", f"{bridge.url}/v1/tokens/{tokens.read.split('_')[1]}"),
        ("GET", f"{bridge.url}/dashboard"),
    ]
    token_id = tokens.admin.split("_")[1]
    for method, target in routes:
        answer = httpx.request(
            method,
            target,
            content=body,
            headers=bearer(tokens.admin) | {"Content-Type": "application/json"},
        )
        assert answer.status_code == 401, (method, target, answer.text)
        assert (
            f"the token {token_id} expired on 2026-01-02 03:04 UTC: create a new one" in answer.text
        ), (method, target, answer.text)
    shown = httpx.get(f"{bridge.url}/v1/tokens/{token_id}", headers=bearer(tokens.root)).json()
    assert shown["expired"] is True and shown["expires_at"] == "2026-01-02T03:04:00Z"
    forged = httpx.get(url, headers=bearer(tokens.admin[:-4] + "AAAA"))
    assert forged.status_code == 401
    assert "expired" not in forged.text and "unknown or wrong" in forged.text


def test_a_token_stops_working_when_its_expiry_passes(
    bridge: BridgeProcess, tokens: Tokens
) -> None:
    engine = open_engine(bridge.db_url)
    try:
        new = create_token(
            engine,
            tokens.project,
            "state:read",
            expires_at=datetime.now(UTC) + timedelta(seconds=2),
        )
    finally:
        engine.dispose()
    url = _url(bridge, tokens)
    assert httpx.get(url, headers=bearer(new.secret)).status_code == 204
    deadline = time.monotonic() + 15
    answer = httpx.get(url, headers=bearer(new.secret))
    while answer.status_code == 204 and time.monotonic() < deadline:
        time.sleep(0.2)
        answer = httpx.get(url, headers=bearer(new.secret))
    assert answer.status_code == 401
    assert f"the token {new.id} expired on " in answer.json()["error"]
    assert new.expires_at is not None and datetime.now(UTC) >= new.expires_at


def test_no_auth_is_refused_off_loopback_with_one_line(tmp_path: Path) -> None:
    done = run_fedstack(
        "bridge",
        "serve",
        "--no-auth",
        "--host",
        "0.0.0.0",
        "--db",
        f"sqlite:///{tmp_path / 'x.sqlite3'}",
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0
    assert "--no-auth is only allowed on a loopback address" in done.stderr


def test_an_inventory_read_token_sees_listings_and_pages_but_never_raw_state(
    bridge: BridgeProcess, tokens: Tokens
) -> None:
    """A dashboard viewer's token: everything masked, nothing that downloads a state or outputs."""
    url = _url(bridge, tokens)
    body = state_body(1, new_lineage(), pad=10)  # the padding output stands for a secret
    httpx.post(url, content=body, headers=bearer(tokens.write)).raise_for_status()
    engine = open_engine(bridge.db_url)
    try:
        viewer = create_token(engine, tokens.project, "inventory:read").secret
    finally:
        engine.dispose()
    allowed = [
        f"{bridge.url}/v1/inventory?project={tokens.project}",
        f"{bridge.url}/v1/stacks",
        f"{bridge.url}/v1/stacks/{tokens.project}/app",
        f"{bridge.url}/v1/drift-runs?project={tokens.project}",
        f"{bridge.url}/v1/drift/resources?project={tokens.project}",
        f"{bridge.url}/v1/compliance/findings?project={tokens.project}",
        f"{bridge.url}/dashboard",
        f"{bridge.url}/dashboard/stacks/{tokens.project}/app",
    ]
    for target in allowed:
        seen = httpx.get(target, headers=bearer(viewer))
        assert seen.status_code == 200, (target, seen.text)
        assert "x" * 10 not in seen.text
    refused = [
        ("GET", url),
        ("GET", url + "/versions"),
        ("GET", url + "/versions/1"),
        ("GET", url + "/lock"),
        ("POST", url),
        ("DELETE", url),
        ("LOCK", url + "/lock"),
    ]
    for method, target in refused:
        answer = httpx.request(
            method,
            target,
            content=body,
            headers=bearer(viewer) | {"Content-Type": "application/json"},
        )
        assert answer.status_code == 403, (method, target, answer.text)
        assert "inventory:read" in answer.json()["error"]
