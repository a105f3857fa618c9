"""The dashboard in a real headless Chromium (Debian's /usr/bin/chromium, no browser download).

A bridge on loopback (--no-auth, SQLite) holds two versions of a stack's state, a second stack
outside the project's policy and three drift runs built with the drift engine's models; Chromium
renders the overview (map, placements, daily history; also printed to PDF), the run and stack
pages and the compliance page, and the tests read the rendered DOM and save screenshots into
their tmp dirs.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from bridge_helpers import new_lineage, post_state_indexed, state_body
from drift_runs_helpers import BUCKET, VM, drifted, report, stack
from fedstack.bridge import BridgeSettings, running_bridge
from fedstack.drift.schema import MASK, AttributeChange

CHROMIUM = "/usr/bin/chromium"
SECRET = "browser-secret-7f3a"


class _Tables(HTMLParser):
    """Cell texts of every table with an id, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._table = dict(attrs).get("id") or f"table{len(self.tables)}"
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._table:
            self.tables[self._table][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _tables(dom: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(dom)
    return parser.tables


def _chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )


def _dump_dom(url: str, profile: Path) -> str:
    done = _chromium(profile, "--dump-dom", url)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _screenshot(url: str, profile: Path, target: Path) -> Path:
    done = _chromium(profile, f"--screenshot={target}", "--window-size=1280,900", url)
    assert done.returncode == 0 and target.exists(), done.stderr[-2000:]
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    print(f"screenshot: {target}")
    return target


@pytest.fixture(scope="module")
def seeded(new_database: Callable[[str], str]) -> Iterator[tuple[str, int]]:
    """A --no-auth bridge with one placed stack, its state and three drift runs; yields (url, last run)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    settings = BridgeSettings(db_url=new_database("sqlite"), port=0, auth=False)
    with running_bridge(settings) as url:
        assert httpx.put(
            f"{url}/v1/stacks/shop/web", json={"provider": "sandbox-fr", "region": "fr-par"}
        ).is_success
        resources = [
            {
                "mode": "managed",
                "type": t,
                "name": n,
                "provider": 'provider["registry.terraform.io/hashicorp/aws"]',
                "instances": [{"schema_version": 0, "attributes": {"id": n}}],
            }
            for t, n in (("aws_s3_bucket", "this"), ("aws_instance", "vm"))
        ]
        # Version 1, then version 2: the bucket's owner tag and its password (masked) change.
        lineage = new_lineage()
        bucket = resources[0]["instances"][0]["attributes"]
        for serial, owner, password in ((1, "alice", "x1"), (2, "bob", SECRET)):
            bucket.update(tags={"owner": owner}, password=password)
            body = state_body(serial, lineage, resources)
            post_state_indexed(f"{url}/v1/states/shop/web", content=body)
        # A second stack whose metadata places it in Zurich, outside the project's policy.
        assert httpx.put(
            f"{url}/v1/projects/shop/policy", json={"preset": "eu-data-residency"}
        ).is_success
        assert httpx.put(
            f"{url}/v1/stacks/shop/vault", json={"provider": "sandbox-de", "region": "ch-zrh"}
        ).is_success
        vault = state_body(1, new_lineage(), resources[:1])
        post_state_indexed(f"{url}/v1/states/shop/vault", content=vault)
        secret = AttributeChange(path="tags.token", before=SECRET, after=SECRET, sensitive=True)
        owner = AttributeChange(path="tags.owner", before="alice", after="mallory")
        last = 0
        for run in (
            report(stack("web", drifted(VM))),
            report(stack("web")),
            report(stack("web", drifted(BUCKET, owner, secret), drifted(VM))),
        ):
            answer = httpx.post(
                f"{url}/v1/drift-runs", params={"project": "shop"}, content=run.model_dump_json()
            )
            assert answer.status_code == 201, answer.text
            last = answer.json()["id"]
        yield url, last


def test_overview_renders_the_map_placements_and_daily_history_in_chromium(
    seeded: tuple[str, int], tmp_path: Path
) -> None:
    url, last = seeded
    dom = _dump_dom(f"{url}/dashboard", tmp_path / "profile")
    tables = _tables(dom)
    placements = tables["placements"][1:]
    assert ["sandbox-fr", "fr-par", "FR", "1", "2", "2"] in [row[:6] for row in placements]
    (web,) = [row for row in tables["stacks"][1:] if row[0] == "shop/web"]
    assert web[4:6] == ["2", "2"]  # resources in the inventory, drifting now
    # Three runs today: one bar (the most drift in a run), a mark per run, earlier days gaps.
    today = dt.datetime.now(dt.UTC).date().isoformat()
    assert re.findall(r'class="bar drift" data-day="([\d-]+)" data-value="(\d+)"', dom) == [
        (today, "2")
    ]
    assert re.findall(r'class="bar failing" data-day="([\d-]+)" data-value="(\d+)"', dom)[-1] == (
        today,
        "1",
    )
    assert dom.count('<path class="run"') == 3 + 1  # + the legend's
    assert dom.count('<line class="norun" data-day') == 13
    assert f'href="/dashboard/runs/{last}"' in dom
    assert SECRET not in dom
    # The map: a marker per region, its state as a colour class and a glyph, linked to its stacks.
    markers = dict(re.findall(r'data-region="([^"]+)" data-state="([^"]+)"', dom))
    assert markers == {"sandbox-fr/fr-par": "drifting", "sandbox-de/ch-zrh": "failing"}
    assert 'href="/dashboard?provider=sandbox-de&amp;region=ch-zrh#stacks"' in dom
    assert (
        'class="land eu" data-country="FR"' in dom and 'class="land eea" data-country="NO"' in dom
    )
    assert 'class="land other" data-country="CH"' in dom
    _screenshot(f"{url}/dashboard", tmp_path / "profile", tmp_path / "overview.png")
    # The marker's link lists that region's stacks only (plain HTML: no script anywhere).
    only = _tables(httpx.get(f"{url}/dashboard?provider=sandbox-de&region=ch-zrh").text)
    assert [row[0] for row in only["stacks"][1:]] == ["shop/vault"]
    assert "<script" not in dom
    # The print stylesheet: the overview as a PDF for an audit file.
    pdf = tmp_path / "overview.pdf"
    done = _chromium(
        tmp_path / "profile", f"--print-to-pdf={pdf}", "--no-pdf-header-footer", f"{url}/dashboard"
    )
    assert done.returncode == 0 and pdf.read_bytes()[:5] == b"%PDF-", done.stderr[-2000:]


def test_run_and_stack_pages_render_masked_diffs_facts_versions_and_history_in_chromium(
    seeded: tuple[str, int], tmp_path: Path
) -> None:
    url, last = seeded
    dom = _dump_dom(f"{url}/dashboard/runs/{last}", tmp_path / "profile")
    diffs = [row for name, rows in _tables(dom).items() if name.startswith("table") for row in rows]
    assert ["tags.owner", "alice", "mallory"] in diffs
    assert ["tags.token", MASK, MASK] in diffs
    assert SECRET not in dom
    assert "first seen drifting" in dom
    _screenshot(f"{url}/dashboard/runs/{last}", tmp_path / "profile", tmp_path / "run.png")
    stack_dom = _dump_dom(f"{url}/dashboard/stacks/shop/web", tmp_path / "profile")
    _screenshot(f"{url}/dashboard/stacks/shop/web", tmp_path / "profile", tmp_path / "stack.png")
    tables = _tables(stack_dom)
    history = tables["history"][1:]
    assert sorted((row[0], row[1]) for row in history) == sorted(
        [(BUCKET, "drifting"), (VM, "drifting"), (VM, "resolved")]
    )
    # Placement and the catalog facts it relied on, with their sources and dates.
    facts = {row[0]: row for row in tables["facts"][1:]}
    assert facts["country of the region"][1] == "FR"
    assert all(
        row[2] != "—" and row[3] != "—"
        for name, row in facts.items()
        if name != "country of the region"
    )
    # The inventory's resources, masked; the versions with their writer; the masked diff.
    assert [row[0] for row in tables["resources"][1:]] == ["aws_instance.vm", "aws_s3_bucket.this"]
    assert [row[0] for row in tables["versions"][1:]] == ["2 current", "1"]
    assert all(row[3].startswith("anonymous") for row in tables["versions"][1:])
    assert tables["diff-table"][1:] == [
        ["aws_s3_bucket.this", "password", MASK, MASK],
        ["aws_s3_bucket.this", "tags.owner", "alice", "bob"],
    ]
    assert SECRET not in stack_dom and '"x1"' not in stack_dom


def test_compliance_page_renders_each_policy_its_verdicts_per_rule_and_findings_in_chromium(
    seeded: tuple[str, int], tmp_path: Path
) -> None:
    url, _ = seeded
    dom = _dump_dom(f"{url}/dashboard/compliance", tmp_path / "profile")
    tables = _tables(dom)
    assert [row[:2] for row in tables["policies"][1:]] == [["shop", "eu-data-residency (preset)"]]
    (finding,) = tables["findings"][1:]
    assert finding[0] == "shop/vault aws_s3_bucket.this"
    assert finding[1].startswith("data-location-eu")
    assert finding[2:4] == ["✗ failing", "sandbox-de / ch-zrh / CH"]
    # Why, per stack and rule: the Zurich stack fails the EU rule, the Paris one passes it.
    verdicts = {(row[0], row[1]): row for row in tables["verdicts-shop"][1:]}
    vault, web = verdicts[("vault", "data-location-eu")], verdicts[("web", "data-location-eu")]
    assert vault[2] == "✗ fails" and vault[4].startswith("aws_s3_bucket.this: ")
    assert web[2] == "✓ passes" and web[3] == "2"
    _screenshot(f"{url}/dashboard/compliance", tmp_path / "profile", tmp_path / "compliance.png")
