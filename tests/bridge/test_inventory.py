"""The inventory: resources indexed after each write, placed through the catalog, secrets masked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from bridge_helpers import (
    BridgeProcess,
    Tokens,
    bearer,
    make_tokens,
    lock_info,
    new_lineage,
    post_state_indexed,
    state_body,
    unique,
)
from fedstack.bridge.store import INVENTORY_COUNT_CAP, open_engine
from fedstack.client import BridgeClient
from fedstack.bridge.store._models import resources as resources_table
from sqlalchemy import select, text

SECRET = "correct-horse-battery-staple"


def _bucket(name: str, region: str, module: str | None = None) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "mode": "managed",
        "type": "aws_s3_bucket",
        "name": name,
        "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
        "instances": [
            {
                "schema_version": 0,
                "attributes": {
                    "id": f"{name}-bucket",
                    "bucket": f"{name}-bucket",
                    "region": region,
                    "tags": {"team": "shop"},
                },
                "sensitive_attributes": [],
            }
        ],
    }
    if module:
        resource["module"] = module
    return resource


def _secret_holder() -> dict[str, Any]:
    return {
        "mode": "managed",
        "type": "aws_db_instance",
        "name": "db",
        "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
        "instances": [
            {
                "index_key": 0,
                "schema_version": 0,
                "attributes": {
                    "id": "db-1",
                    "region": "eu-central-1",
                    "master_credentials": {"user": "admin", "pass_phrase": SECRET},
                    "echo": SECRET,
                },
                "sensitive_attributes": [
                    [
                        {"type": "get_attr", "value": "master_credentials"},
                        {"type": "get_attr", "value": "pass_phrase"},
                    ]
                ],
            }
        ],
    }


def _data_source() -> dict[str, Any]:
    return {
        "mode": "data",
        "type": "aws_region",
        "name": "here",
        "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
        "instances": [{"attributes": {"name": "eu-west-3"}}],
    }


def _inventory(bridge: BridgeProcess, token: str, **params: Any) -> dict[str, Any]:
    response = httpx.get(f"{bridge.url}/v1/inventory", params=params, headers=bearer(token))
    assert response.status_code == 200, response.text
    return dict(response.json())


def _write(
    bridge: BridgeProcess,
    tokens: Tokens,
    stack: str,
    resources: list[dict[str, Any]],
    serial: int = 1,
    lineage: str | None = None,
) -> None:
    url = f"{bridge.url}/v1/states/{tokens.project}/{stack}"
    post_state_indexed(
        url,
        content=state_body(serial, lineage or new_lineage(), resources),
        headers=bearer(tokens.write),
    )


def test_write_indexes_managed_resources_placed_by_their_region(
    bridge: BridgeProcess, tokens: Tokens
) -> None:
    _write(
        bridge,
        tokens,
        "storage",
        [_bucket("logs", "eu-west-3", module="module.store"), _data_source()],
    )
    page = _inventory(bridge, tokens.read, project=tokens.project)
    assert page["total"] == 1
    item = page["items"][0]
    assert item["address"] == "module.store.aws_s3_bucket.logs"
    assert item["module"] == "module.store"
    assert item["terraform_provider"] == "hashicorp/aws"
    # eu-west-3 is the API region of exactly one catalog region: sandbox-fr's fr-par.
    assert (item["provider"], item["region"], item["country"]) == ("sandbox-fr", "fr-par", "FR")


def test_stack_placement_decides_provider_region_and_country(
    bridge: BridgeProcess, tokens: Tokens
) -> None:
    _write(bridge, tokens, "storage", [_bucket("logs", "eu-west-3")])
    url = f"{bridge.url}/v1/stacks/{tokens.project}/storage"
    placed = httpx.put(
        url, json={"provider": "sandbox-nl", "region": "nl-ams"}, headers=bearer(tokens.write)
    )
    assert placed.json()["country"] == "NL"
    item = _inventory(bridge, tokens.read, project=tokens.project)["items"][0]
    assert (item["provider"], item["region"], item["country"]) == ("sandbox-nl", "nl-ams", "NL")
    summary = httpx.get(url, headers=bearer(tokens.read)).json()
    assert (summary["provider"], summary["resource_count"], summary["current_version"]) == (
        "sandbox-nl",
        1,
        1,
    )


def test_stack_placement_outside_the_catalog_is_refused(
    bridge: BridgeProcess, tokens: Tokens
) -> None:
    url = f"{bridge.url}/v1/stacks/{tokens.project}/storage"
    unknown = httpx.put(
        url, json={"provider": "nowhere-cloud", "region": "x"}, headers=bearer(tokens.write)
    )
    assert unknown.status_code == 400
    assert "unknown provider 'nowhere-cloud'" in unknown.json()["error"]
    wrong_region = httpx.put(
        url, json={"provider": "sandbox-fr", "region": "de-fra"}, headers=bearer(tokens.write)
    )
    assert wrong_region.status_code == 400
    assert "has no region 'de-fra'" in wrong_region.json()["error"]


def test_sensitive_values_are_masked_and_never_stored_in_the_inventory(
    bridge: BridgeProcess, tokens: Tokens
) -> None:
    _write(bridge, tokens, "db", [_secret_holder()])
    item = _inventory(bridge, tokens.read, project=tokens.project)["items"][0]
    assert item["address"] == "aws_db_instance.db[0]"
    assert item["attributes"]["master_credentials"] == {
        "user": "admin",
        "pass_phrase": "(sensitive)",
    }
    assert item["attributes"]["echo"] == "(sensitive)"  # the same value copied elsewhere
    assert _inventory(bridge, tokens.read, q="horse")["total"] == 0
    engine = open_engine(bridge.db_url)
    with engine.connect() as conn:
        stored = conn.execute(
            select(resources_table.c.attributes, resources_table.c.search).where(
                resources_table.c.project == tokens.project
            )
        ).all()
    engine.dispose()
    assert stored and all(SECRET not in attributes + search for attributes, search in stored)


def test_inventory_filters_and_pages(bridge: BridgeProcess, tokens: Tokens) -> None:
    _write(bridge, tokens, "fr", [_bucket(f"fr{i}", "eu-west-3") for i in range(5)])
    _write(bridge, tokens, "de", [_bucket("de0", "eu-central-1"), _secret_holder()])
    mine = {"project": tokens.project}
    assert _inventory(bridge, tokens.read, **mine)["total"] == 7
    assert _inventory(bridge, tokens.read, **mine, country="fr")["total"] == 5
    assert _inventory(bridge, tokens.read, **mine, provider="sandbox-de")["total"] == 2
    assert (
        _inventory(bridge, tokens.read, **mine, region="de-fra", type="aws_db_instance")["total"]
        == 1
    )
    assert _inventory(bridge, tokens.read, **mine, stack="de")["total"] == 2
    assert [
        i["address"] for i in _inventory(bridge, tokens.read, **mine, q="FR3-BUCKET")["items"]
    ] == ["aws_s3_bucket.fr3"]
    assert (
        _inventory(bridge, tokens.read, **mine, q="100%_")["total"] == 0
    )  # LIKE wildcards are literal
    pages = [_inventory(bridge, tokens.read, **mine, limit=3, offset=o)["items"] for o in (0, 3, 6)]
    addresses = [f"{i['stack']}:{i['address']}" for page in pages for i in page]
    assert [len(p) for p in pages] == [3, 3, 1]
    assert len(set(addresses)) == 7
    # Keyset paging: each page's next_after leads to the next, the same rows as by offset.
    keyset, after = [], None
    for _ in range(4):
        page = _inventory(
            bridge, tokens.read, **mine, limit=3, **({"after": after} if after else {})
        )
        keyset += [f"{i['stack']}:{i['address']}" for i in page["items"]]
        after = page["next_after"]
        if after is None:
            break
    assert keyset == addresses
    forged = httpx.get(
        f"{bridge.url}/v1/inventory",
        params={"after": "bm90LWEtY3Vyc29y"},
        headers={"Authorization": f"Bearer {tokens.read}"},
    )
    assert forged.status_code == 400 and "cursor" in forged.text
    assert _inventory(bridge, tokens.other_project_write, project=tokens.project)["total"] == 0


def test_text_search_finds_exactly_the_substring_matches_as_rows_change(
    bridge: BridgeProcess, tokens: Tokens
) -> None:
    """On SQLite `q=` goes through the FTS5 trigram table (migration 0010), kept by triggers; the
    answers must be those of a plain substring match, before and after rows are replaced."""
    lineage = new_lineage()
    names = ["alpha", "alphabet", "beta", "gamma-ray", 'quo"te', "percent%x"]
    _write(bridge, tokens, "words", [_bucket(n, "eu-west-3") for n in names], lineage=lineage)
    mine = {"project": tokens.project, "limit": 1000}

    def found(q: str) -> list[str]:
        return sorted(i["name"] for i in _inventory(bridge, tokens.read, **mine, q=q)["items"])

    assert found("alpha") == ["alpha", "alphabet"]
    assert found("ALPHABET") == ["alphabet"]
    assert found("a-r") == ["gamma-ray"]
    assert found('o"t') == ['quo"te']
    assert found("t%x") == ["percent%x"]
    assert found("ph") == ["alpha", "alphabet"]  # under 3 characters: no trigram, a scan
    assert found("zzz-nothing") == []
    _write(bridge, tokens, "words", [_bucket("beta", "eu-west-3")], serial=2, lineage=lineage)
    assert found("alpha") == []
    assert found("beta") == ["beta"]
    if bridge.db_url.startswith("sqlite"):
        engine = open_engine(bridge.db_url)
        try:
            with engine.connect() as conn:
                indexed = conn.exec_driver_sql(
                    "SELECT count(*) FROM resources_fts WHERE resources_fts MATCH '\"beta-bucket\"'"
                ).scalar_one()
        finally:
            engine.dispose()
        assert indexed >= 1


def test_a_write_is_answered_before_its_inventory_which_says_it_trails(
    new_database: Callable[[str], str], tmp_path: Path
) -> None:
    """The indexer waits 3 s per stack here (FEDSTACK_TEST_INDEX_DELAY, a test hook). A plain POST
    is answered with the state durable and the inventory trailing, and says so; `wait=indexed`
    and Terraform's UNLOCK answer once the inventory holds the version."""
    db_url = new_database("sqlite")
    tokens = make_tokens(db_url, unique("p"))
    slow = BridgeProcess(db_url, tmp_path / "bridge.log", env={"FEDSTACK_TEST_INDEX_DELAY": "3"})
    slow.start()
    url = f"{slow.url}/v1/states/{tokens.project}/app"
    lineage = new_lineage()
    try:
        first = httpx.post(
            url,
            content=state_body(1, lineage, [_bucket("a", "eu-west-3")]),
            headers=bearer(tokens.write),
        )
        assert first.status_code == 200 and first.json()["indexed"] is False
        trailing = _inventory(slow, tokens.read, project=tokens.project)
        assert trailing["up_to_date"] is False and trailing["total"] == 0
        assert trailing["trailing"][0]["current_version"] == 1
        assert trailing["trailing"][0]["indexed_through"] is None
        second = post_state_indexed(
            url,
            content=state_body(2, lineage, [_bucket("b", "eu-west-3")]),
            headers=bearer(tokens.write),
        )
        assert second.json()["version"] == 2
        now = _inventory(slow, tokens.read, project=tokens.project)
        assert now["up_to_date"] is True and now["trailing"] == []
        assert [i["name"] for i in now["items"]] == ["b"]
        # Terraform's order: LOCK, POST, UNLOCK; the UNLOCK answers once the version is indexed.
        held = lock_info("terraform")
        lock_url = f"{url}/lock"
        httpx.request("LOCK", lock_url, json=held, headers=bearer(tokens.write)).raise_for_status()
        httpx.post(
            url,
            params={"ID": held["ID"]},
            content=state_body(3, lineage, [_bucket("c", "eu-west-3")]),
            headers=bearer(tokens.write),
        ).raise_for_status()
        httpx.request(
            "UNLOCK", lock_url, json=held, headers=bearer(tokens.write), timeout=60
        ).raise_for_status()
        after_unlock = _inventory(slow, tokens.read, project=tokens.project)
        assert after_unlock["up_to_date"] is True
        assert [i["name"] for i in after_unlock["items"]] == ["c"]
    finally:
        slow.stop()


def test_the_client_fetches_every_page_through_the_keyset_cursor(
    sqlite_bridge: BridgeProcess,
) -> None:
    """`BridgeClient.inventory_all` (used by unmanaged, exit and the provider) pages past 1,000."""
    tokens = make_tokens(sqlite_bridge.db_url, unique("p"))
    _write(sqlite_bridge, tokens, "many", [_bucket(f"b{i}", "eu-west-3") for i in range(1001)])
    with BridgeClient(sqlite_bridge.url, tokens.read) as client:
        every = client.inventory_all(project=tokens.project)
        first_page_only = client.inventory_all(project=tokens.project, max_pages=1)
    assert len(every) == len({i["address"] for i in every}) == 1001
    assert len(first_page_only) == 1000


def test_the_count_stops_at_its_cap_and_says_so_and_offset_pages_match_the_keyset_walk(
    bridge: BridgeProcess, tokens: Tokens
) -> None:
    """Past INVENTORY_COUNT_CAP matches `total` is a lower bound and `total_exact` is false; a
    deep `offset` page (read by seeking to the key at that offset) is the same rows as walking."""
    many = INVENTORY_COUNT_CAP + 100
    _write(bridge, tokens, "many", [_bucket(f"b{i:04d}", "eu-west-3") for i in range(many)])
    _write(bridge, tokens, "few", [_bucket("x", "eu-central-1"), _secret_holder()])
    mine = {"project": tokens.project}
    first = _inventory(bridge, tokens.read, **mine, limit=10)
    assert (first["total"], first["total_exact"]) == (INVENTORY_COUNT_CAP, False)
    assert list(first)[:6] == ["total", "limit", "offset", "items", "next_after", "total_exact"]
    stack_page = httpx.get(
        f"{bridge.url}/dashboard/stacks/{tokens.project}/many", headers=bearer(tokens.read)
    )
    assert f"500 of {INVENTORY_COUNT_CAP}+ shown" in stack_page.text
    # Below the cap the count is exact.
    exact = _inventory(bridge, tokens.read, **mine, stack="few")
    assert (exact["total"], exact["total_exact"]) == (2, True)
    text = _inventory(bridge, tokens.read, **mine, q="b0999-bucket")
    assert (text["total"], text["total_exact"]) == (1, True)
    common = _inventory(bridge, tokens.read, **mine, q="-bucket")
    assert (common["total"], common["total_exact"]) == (INVENTORY_COUNT_CAP, False)
    walked, after = [], None
    for _ in range(10):
        page = _inventory(
            bridge, tokens.read, **mine, limit=500, **({"after": after} if after else {})
        )
        walked += [(i["stack"], i["address"]) for i in page["items"]]
        after = page["next_after"]
        if after is None:
            break
    assert len(walked) == len(set(walked)) == many + 2
    for offset in (1, 499, INVENTORY_COUNT_CAP, many + 1, many + 2, many + 50):
        page = _inventory(bridge, tokens.read, **mine, limit=7, offset=offset)
        assert [(i["stack"], i["address"]) for i in page["items"]] == walked[offset : offset + 7]
        # A lower bound, which covers the rows a deep page shows (past the end: the cap).
        shown = offset + len(page["items"]) if page["items"] else INVENTORY_COUNT_CAP
        assert shown <= page["total"] <= many + 2 and page["total_exact"] is False
    deep = _inventory(bridge, tokens.read, **mine, limit=7, offset=many)
    assert (deep["total"], deep["total_exact"]) == (many + 2, False)
    # offset after a cursor counts from the cursor.
    cursor = _inventory(bridge, tokens.read, **mine, limit=3)["next_after"]
    skipped = _inventory(bridge, tokens.read, **mine, limit=4, offset=2, after=cursor)
    assert [(i["stack"], i["address"]) for i in skipped["items"]] == walked[5:9]
    # Filtered deep pages seek through the filter's own index.
    fr = [w for w in walked if w[0] == "many"]
    page = _inventory(bridge, tokens.read, **mine, country="FR", limit=5, offset=1050)
    assert [(i["stack"], i["address"]) for i in page["items"]] == fr[1050:1055]


def test_postgresql_statistics_follow_a_large_indexing_without_waiting_for_autovacuum(
    new_database: Callable[[str], str], tmp_path: Path
) -> None:
    """Once the indexer has caught up it runs VACUUM (ANALYZE) on the inventory when autovacuum
    would (its next round can be a minute away): the planner then plans for the rows really
    there. (Whether VACUUM can also mark the pages all-visible depends on no older snapshot being
    open anywhere in the database at that moment, which this test does not control: a CI run saw
    0 of 89 pages marked. So it checks that the indexer's own VACUUM ran, not its side effect.)"""
    db_url = new_database("postgresql")
    process = BridgeProcess(db_url, tmp_path / "bridge.log").start()
    try:
        tokens = make_tokens(db_url, unique("p"))
        engine = open_engine(db_url)
        # Autovacuum kept off this table: the session's server runs for the whole suite, and an
        # autovacuum round that analyzes the table first leaves the indexer nothing to refresh
        # (seen on CI: reltuples 2000, last_vacuum None).
        with engine.begin() as conn:
            conn.execute(text("ALTER TABLE resources SET (autovacuum_enabled = false)"))
        try:
            _write(process, tokens, "big", [_bucket(f"b{i}", "eu-west-3") for i in range(2000)])
            reltuples, vacuumed, analyzed = -1.0, None, None
            for _ in range(100):  # up to 10 s; autovacuum's naptime is 60 s
                with engine.connect() as conn:
                    reltuples, vacuumed, analyzed = conn.execute(
                        text(
                            "SELECT c.reltuples, s.last_vacuum, s.last_analyze"
                            " FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid"
                            " WHERE c.relname = 'resources'"
                        )
                    ).one()
                if reltuples >= 2000 and vacuumed is not None and analyzed is not None:
                    break
                time.sleep(0.1)
        finally:
            engine.dispose()
        # Counted by a VACUUM (ANALYZE) the bridge ran (last_vacuum / last_analyze are set by a
        # manual VACUUM only; autovacuum's rounds have columns of their own).
        assert reltuples == 2000
        log = (tmp_path / "bridge.log").read_text()[-2000:]
        assert vacuumed is not None and analyzed is not None, log
    finally:
        process.stop()


def test_a_new_version_replaces_the_stacks_inventory(bridge: BridgeProcess, tokens: Tokens) -> None:
    lineage = new_lineage()
    _write(
        bridge,
        tokens,
        "fr",
        [_bucket("a", "eu-west-3"), _bucket("b", "eu-west-3")],
        serial=1,
        lineage=lineage,
    )
    _write(bridge, tokens, "fr", [_bucket("b", "eu-west-3")], serial=2, lineage=lineage)
    items = _inventory(bridge, tokens.read, project=tokens.project)["items"]
    assert [i["address"] for i in items] == ["aws_s3_bucket.b"]


def test_stack_listings_count_the_rows_each_version_left(
    bridge: BridgeProcess, tokens: Tokens
) -> None:
    """`resource_count` is kept with the rows (migration 0013): new version, smaller version,
    delete; every figure is checked against the inventory rows themselves."""
    lineage = new_lineage()
    url = f"{bridge.url}/v1/stacks/{tokens.project}/counted"

    def counted() -> tuple[int, int]:
        summary = httpx.get(url, headers=bearer(tokens.read)).json()
        listed = httpx.get(f"{bridge.url}/v1/stacks", headers=bearer(tokens.read)).json()
        (mine,) = [s for s in listed["stacks"] if s["stack"] == "counted"]
        assert summary["resource_count"] == mine["resource_count"]
        rows = _inventory(bridge, tokens.read, project=tokens.project, stack="counted")["total"]
        return summary["resource_count"], rows

    three = [_bucket(n, "eu-west-3") for n in "abc"]
    _write(bridge, tokens, "counted", [*three, _data_source()], serial=1, lineage=lineage)
    assert counted() == (3, 3)  # managed resources only, as the inventory holds
    _write(bridge, tokens, "counted", three[:1], serial=2, lineage=lineage)
    assert counted() == (1, 1)
    deleted = httpx.delete(
        f"{bridge.url}/v1/states/{tokens.project}/counted", headers=bearer(tokens.write)
    )
    assert deleted.status_code == 200, deleted.text
    assert counted() == (0, 0)


def test_inventory_cli_prints_json_and_a_table(sqlite_bridge: BridgeProcess) -> None:
    """The CLI only speaks HTTP, so one database kind is enough here."""
    bridge = sqlite_bridge
    tokens = make_tokens(bridge.db_url, unique("cli"))
    _write(bridge, tokens, "fr", [_bucket("logs", "eu-west-3")])
    base = [
        sys.executable,
        "-c",
        "from fedstack.cli import main; main()",
        "inventory",
        "--bridge",
        bridge.url,
        "--project",
        tokens.project,
    ]
    env = {"FEDSTACK_BRIDGE_TOKEN": tokens.read}
    as_json = subprocess.run(
        [*base, "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, **env},
    )
    assert as_json.returncode == 0, as_json.stderr
    assert [i["address"] for i in json.loads(as_json.stdout)["items"]] == ["aws_s3_bucket.logs"]
    table = subprocess.run(
        base,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, **env, "COLUMNS": "200"},
    )
    assert "aws_s3_bucket.logs" in table.stdout and "sandbox-fr" in table.stdout
    refused = subprocess.run(
        base,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "FEDSTACK_BRIDGE_TOKEN": "nope"},
    )
    assert refused.returncode == 1
    assert "bridge answered 401" in refused.stderr and "Traceback" not in refused.stderr


def test_inventory_cli_pages_by_the_cursor_it_prints(sqlite_bridge: BridgeProcess) -> None:
    """`--limit 2` prints the `--after` of the next page; that page holds the rest, none twice."""
    tokens = make_tokens(sqlite_bridge.db_url, unique("cli"))
    _write(sqlite_bridge, tokens, "fr", [_bucket(n, "eu-west-3") for n in ("a", "b", "c")])
    base = [sys.executable, "-c", "from fedstack.cli import main; main()", "inventory"]
    base += ["--bridge", sqlite_bridge.url, "--project", tokens.project, "--limit", "2"]
    env = {**os.environ, "FEDSTACK_BRIDGE_TOKEN": tokens.read}

    def run(*extra: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [*base, *extra], capture_output=True, text=True, timeout=60, check=False, env=env
        )
        assert done.returncode == 0, done.stderr
        return done

    first = run("--json")
    cursor = json.loads(first.stdout)["next_after"]
    assert run().stderr.splitlines()[-1] == f"next page: --after {cursor}"
    second = json.loads(run("--json", "--after", cursor).stdout)
    seen = [i["name"] for i in json.loads(first.stdout)["items"] + second["items"]]
    assert seen == ["a", "b", "c"] and second["next_after"] is None


def test_metrics_report_requests_states_and_inventory_size(
    bridge: BridgeProcess, tokens: Tokens
) -> None:
    _write(bridge, tokens, "fr", [_bucket("logs", "eu-west-3")])
    text = httpx.get(f"{bridge.url}/metrics").text
    for name in (
        'fedstack_bridge_requests_total{method="POST",route="/v1/states/{project}/{stack}",status="200"}',
        "fedstack_bridge_request_seconds_bucket",
        "fedstack_bridge_stack_row_wait_seconds_count",
        "fedstack_bridge_lock_conflicts_total",
        "fedstack_bridge_stacks ",
        "fedstack_bridge_state_versions ",
        "fedstack_bridge_inventory_resources ",
    ):
        assert name in text, name
    sizes = [
        line
        for line in text.splitlines()
        if line.startswith("fedstack_bridge_inventory_resources ")
    ]
    assert float(sizes[0].split()[1]) >= 1
