"""The Terraform HTTP backend protocol over real HTTP, on SQLite and on PostgreSQL."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json

import httpx
from bridge_helpers import BridgeProcess, Tokens, bearer, lock_info, new_lineage, state_body, unique
from fedstack.bridge.store import NewToken, create_token, open_engine


def _url(bridge: BridgeProcess, tokens: Tokens, stack: str) -> str:
    return f"{bridge.url}/v1/states/{tokens.project}/{stack}"


def test_stack_without_state_answers_204(bridge: BridgeProcess, tokens: Tokens) -> None:
    response = httpx.get(_url(bridge, tokens, "never-written"), headers=bearer(tokens.read))
    assert response.status_code == 204
    assert response.content == b""


def test_written_state_reads_back_byte_for_byte_with_content_md5(
    bridge: BridgeProcess, tokens: Tokens
) -> None:
    url = _url(bridge, tokens, "app")
    body = state_body(1, new_lineage())
    md5 = base64.b64encode(hashlib.md5(body).digest()).decode()
    written = httpx.post(url, content=body, headers={**bearer(tokens.write), "Content-MD5": md5})
    assert written.status_code == 200, written.text
    answer = written.json()
    # Whether the inventory already holds it when the answer leaves (test_inventory tests that).
    assert isinstance(answer.pop("indexed"), bool)
    assert answer == {"version": 1, "created": True, "serial": 1}
    read = httpx.get(url, headers=bearer(tokens.read))
    assert read.status_code == 200
    assert read.content == body
    assert read.headers["Content-MD5"] == md5


def test_put_stores_a_version_like_post(bridge: BridgeProcess, tokens: Tokens) -> None:
    url = _url(bridge, tokens, "app")
    lineage = new_lineage()
    assert (
        httpx.post(url, content=state_body(1, lineage), headers=bearer(tokens.write)).status_code
        == 200
    )
    put = httpx.put(url, content=state_body(2, lineage), headers=bearer(tokens.write))
    assert put.json()["version"] == 2
    assert json.loads(httpx.get(url, headers=bearer(tokens.read)).content)["serial"] == 2


def test_second_lock_answers_423_with_the_holders_lockinfo(
    bridge: BridgeProcess, tokens: Tokens
) -> None:
    lock_url = _url(bridge, tokens, "app") + "/lock"
    first = lock_info("alice@laptop")
    assert (
        httpx.request("LOCK", lock_url, json=first, headers=bearer(tokens.write)).status_code == 200
    )
    second = httpx.request("LOCK", lock_url, json=lock_info("bob@ci"), headers=bearer(tokens.write))
    assert second.status_code == 423
    assert second.json() == first
    # The same lock asked for again (a client retry) is still held by its owner.
    assert (
        httpx.request("LOCK", lock_url, json=first, headers=bearer(tokens.write)).status_code == 200
    )
    assert httpx.get(lock_url, headers=bearer(tokens.read)).json() == first


def test_write_while_locked_needs_the_matching_lock_id(
    bridge: BridgeProcess, tokens: Tokens
) -> None:
    url = _url(bridge, tokens, "app")
    lineage = new_lineage()
    info = lock_info()
    httpx.request("LOCK", url + "/lock", json=info, headers=bearer(tokens.write)).raise_for_status()
    without = httpx.post(url, content=state_body(1, lineage), headers=bearer(tokens.write))
    wrong = httpx.post(
        url,
        params={"ID": "not-the-lock"},
        content=state_body(1, lineage),
        headers=bearer(tokens.write),
    )
    assert (without.status_code, wrong.status_code) == (423, 423)
    assert without.json()["ID"] == info["ID"]
    assert httpx.get(url, headers=bearer(tokens.read)).status_code == 204  # nothing was stored
    right = httpx.post(
        url, params={"ID": info["ID"]}, content=state_body(1, lineage), headers=bearer(tokens.write)
    )
    assert right.status_code == 200


def test_unlock_with_the_lockinfo_releases_and_a_wrong_id_is_refused(
    bridge: BridgeProcess, tokens: Tokens
) -> None:
    lock_url = _url(bridge, tokens, "app") + "/lock"
    info = lock_info()
    httpx.request("LOCK", lock_url, json=info, headers=bearer(tokens.write)).raise_for_status()
    other = {**lock_info(), "Who": "mallory"}
    refused = httpx.request("UNLOCK", lock_url, json=other, headers=bearer(tokens.write))
    assert refused.status_code == 423
    assert refused.json()["ID"] == info["ID"]
    released = httpx.request("UNLOCK", lock_url, json=info, headers=bearer(tokens.write))
    assert released.json() == {"unlocked": True, "forced": False}
    assert httpx.get(lock_url, headers=bearer(tokens.read)).status_code == 204


def test_post_and_delete_on_lock_work_like_lock_and_unlock(
    bridge: BridgeProcess, tokens: Tokens
) -> None:
    lock_url = _url(bridge, tokens, "app") + "/lock"
    info = lock_info()
    assert httpx.post(lock_url, json=info, headers=bearer(tokens.write)).status_code == 200
    assert httpx.post(lock_url, json=lock_info(), headers=bearer(tokens.write)).status_code == 423
    deleted = httpx.request("DELETE", lock_url, json=info, headers=bearer(tokens.write))
    assert deleted.status_code == 200
    assert httpx.post(lock_url, json=lock_info(), headers=bearer(tokens.write)).status_code == 200


def test_force_unlock_without_body_or_with_id_only_is_admin_only(
    bridge: BridgeProcess, tokens: Tokens
) -> None:
    lock_url = _url(bridge, tokens, "app") + "/lock"
    info = lock_info()
    httpx.request("LOCK", lock_url, json=info, headers=bearer(tokens.write)).raise_for_status()
    assert httpx.request("UNLOCK", lock_url, headers=bearer(tokens.write)).status_code == 403
    id_only = httpx.request(
        "UNLOCK", lock_url, json={"ID": info["ID"]}, headers=bearer(tokens.write)
    )
    assert id_only.status_code == 403
    assert httpx.get(lock_url, headers=bearer(tokens.read)).json() == info  # still held
    forced = httpx.request("UNLOCK", lock_url, headers=bearer(tokens.admin))
    assert forced.json() == {"unlocked": True, "forced": True}
    audit = httpx.get(
        f"{bridge.url}/v1/audit",
        params={"project": tokens.project, "action": "force-unlock"},
        headers=bearer(tokens.admin),
    ).json()
    assert audit["entries"][0]["detail"]["lock_id"] == info["ID"]


def test_versions_are_listed_fetched_and_restored_as_a_new_version(
    bridge: BridgeProcess, tokens: Tokens
) -> None:
    url = _url(bridge, tokens, "app")
    lineage = new_lineage()
    bodies = [state_body(serial, lineage, pad=serial) for serial in (1, 2, 3)]
    for body in bodies:
        httpx.post(url, content=body, headers=bearer(tokens.write)).raise_for_status()
    listed = httpx.get(url + "/versions", headers=bearer(tokens.read)).json()["versions"]
    assert [(v["version"], v["serial"], v["current"]) for v in listed] == [
        (1, 1, False),
        (2, 2, False),
        (3, 3, True),
    ]
    assert httpx.get(url + "/versions/2", headers=bearer(tokens.read)).content == bodies[1]
    by_serial = httpx.get(url + "/versions", params={"serial": 3}, headers=bearer(tokens.read))
    assert [v["version"] for v in by_serial.json()["versions"]] == [3]
    assert httpx.get(url + "/versions/9", headers=bearer(tokens.read)).status_code == 404

    assert httpx.post(url + "/versions/1/restore", headers=bearer(tokens.write)).status_code == 403
    restored = httpx.post(url + "/versions/1/restore", headers=bearer(tokens.admin))
    assert restored.json() == {"version": 4, "restored_from": 1}
    current = json.loads(httpx.get(url, headers=bearer(tokens.read)).content)
    assert current["serial"] == 4  # moved past the newest, so Terraform accepts it
    assert current["outputs"] == json.loads(bodies[0])["outputs"]
    for number, body in enumerate(bodies, start=1):  # nothing overwritten
        assert httpx.get(f"{url}/versions/{number}", headers=bearer(tokens.read)).content == body


def test_version_times_are_utc_with_z_like_every_other_route(
    bridge: BridgeProcess, tokens: Tokens
) -> None:
    # SQLite's DateTime columns hand back naive values, PostgreSQL's aware ones: the answer is
    # the same on both, the form pydantic gives an aware UTC time.
    url = _url(bridge, tokens, "app")
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    httpx.post(url, content=state_body(1, new_lineage()), headers=bearer(tokens.write))
    after = dt.datetime.now(dt.UTC)
    (listed,) = httpx.get(url + "/versions", headers=bearer(tokens.read)).json()["versions"]
    created = listed["created_at"]
    assert created.endswith("Z"), created
    assert before <= dt.datetime.fromisoformat(created) <= after


def test_delete_empties_the_stack_and_keeps_every_version(
    bridge: BridgeProcess, tokens: Tokens
) -> None:
    url = _url(bridge, tokens, "app")
    body = state_body(1, new_lineage())
    httpx.post(url, content=body, headers=bearer(tokens.write)).raise_for_status()
    assert httpx.delete(url, headers=bearer(tokens.write)).json() == {"deleted": True}
    assert httpx.get(url, headers=bearer(tokens.read)).status_code == 204
    assert httpx.get(url + "/versions/1", headers=bearer(tokens.read)).content == body
    # An empty stack accepts a new lineage: the old one lives on in the versions.
    again = httpx.post(url, content=state_body(1, new_lineage()), headers=bearer(tokens.write))
    assert again.json()["version"] == 2


def test_state_addresses_of_one_project_are_independent(
    bridge: BridgeProcess, tokens: Tokens
) -> None:
    a, b = unique("a"), unique("b")
    httpx.post(
        _url(bridge, tokens, a), content=state_body(5, new_lineage()), headers=bearer(tokens.write)
    ).raise_for_status()
    assert httpx.get(_url(bridge, tokens, b), headers=bearer(tokens.read)).status_code == 204


def test_restore_after_an_encrypted_version_moves_the_serial_past_every_plain_one(
    bridge: BridgeProcess, tokens: Tokens
) -> None:
    url = _url(bridge, tokens, "app")
    lineage = new_lineage()
    for serial in (1, 7):
        httpx.post(
            url, content=state_body(serial, lineage), headers=bearer(tokens.write)
        ).raise_for_status()
    sealed = json.dumps(
        {"encrypted_data": "c2VhbGVk", "encryption_version": "v0", "meta": {}}
    ).encode()
    httpx.post(url, content=sealed, headers=bearer(tokens.write)).raise_for_status()
    restored = httpx.post(url + "/versions/1/restore", headers=bearer(tokens.admin))
    assert restored.json() == {"version": 4, "restored_from": 1}
    assert json.loads(httpx.get(url, headers=bearer(tokens.read)).content)["serial"] == 8


def _second_writer(bridge: BridgeProcess, project: str) -> NewToken:
    engine = open_engine(bridge.db_url)
    try:
        return create_token(engine, project, "state:write")
    finally:
        engine.dispose()


def test_a_lock_binds_its_token_another_writer_with_the_id_is_refused(
    bridge: BridgeProcess, tokens: Tokens
) -> None:
    """The attack: a second writer reads the lock ID (GET .../lock) and unlocks or writes with it."""
    url = _url(bridge, tokens, "app")
    lineage = new_lineage()
    mallory = _second_writer(bridge, tokens.project)
    info = lock_info("alice@laptop")
    httpx.request("LOCK", url + "/lock", json=info, headers=bearer(tokens.write)).raise_for_status()
    seen = httpx.get(url + "/lock", headers=bearer(mallory.secret)).json()
    assert seen == info  # the ID is no secret, so it must not be the proof

    relock = httpx.request("LOCK", url + "/lock", json=seen, headers=bearer(mallory.secret))
    unlock = httpx.request(
        "UNLOCK", url + "/lock", json={**seen, "Who": "x"}, headers=bearer(mallory.secret)
    )
    delete_lock = httpx.request("DELETE", url + "/lock", json=seen, headers=bearer(mallory.secret))
    write = httpx.post(
        url,
        params={"ID": seen["ID"]},
        content=state_body(1, lineage),
        headers={**bearer(mallory.secret), "Content-Type": "application/json"},
    )
    emptied = httpx.delete(url, params={"ID": seen["ID"]}, headers=bearer(mallory.secret))
    for refused in (unlock, delete_lock, write, emptied):
        assert refused.status_code == 423, refused.text
        assert refused.json()["ID"] == info["ID"]
        assert "only the token that took the lock" in refused.json()["error"]
    assert relock.status_code == 423 and relock.json() == info
    assert httpx.get(url + "/lock", headers=bearer(tokens.read)).json() == info  # still held
    assert httpx.get(url, headers=bearer(tokens.read)).status_code == 204  # nothing stored

    # The holder still writes and releases; then the audit log names who released whose lock.
    mine = httpx.post(
        url, params={"ID": info["ID"]}, content=state_body(1, lineage), headers=bearer(tokens.write)
    )
    assert mine.status_code == 200
    released = httpx.request("UNLOCK", url + "/lock", json=info, headers=bearer(tokens.write))
    assert released.json() == {"unlocked": True, "forced": False}
    audit = httpx.get(
        f"{bridge.url}/v1/audit",
        params={"project": tokens.project, "action": "unlock"},
        headers=bearer(tokens.admin),
    ).json()
    (entry,) = audit["entries"]
    assert entry["detail"]["holder_token"] == entry["who"] != mallory.id


def test_force_unlock_of_another_tokens_lock_stays_admin_and_is_audited(
    bridge: BridgeProcess, tokens: Tokens
) -> None:
    url = _url(bridge, tokens, "app")
    holder = _second_writer(bridge, tokens.project)
    info = lock_info("ci-runner")
    httpx.request(
        "LOCK", url + "/lock", json=info, headers=bearer(holder.secret)
    ).raise_for_status()
    assert httpx.request("UNLOCK", url + "/lock", headers=bearer(tokens.write)).status_code == 403
    forced = httpx.request("UNLOCK", url + "/lock", headers=bearer(tokens.admin))
    assert forced.json() == {"unlocked": True, "forced": True}
    audit = httpx.get(
        f"{bridge.url}/v1/audit",
        params={"project": tokens.project, "action": "force-unlock"},
        headers=bearer(tokens.admin),
    ).json()
    (entry,) = audit["entries"]
    assert entry["detail"]["holder_token"] == holder.id and entry["who"] != holder.id
