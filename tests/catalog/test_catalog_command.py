"""`fedstack catalog check|show|docs`: the shipped catalog passes, seeded mistakes fail.

Each seeded mistake is written into a copy of the shipped catalog (with a copy of modules/
beside it, as the loader needs) and checked through the real CLI entry point.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from fedstack.catalog import modules_root
from fedstack.catalog._audit import audit_catalog, is_home_page
from fedstack.cli import main

REPO = Path(__file__).resolve().parents[2]


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exited:
        code = int(exited.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of modules/ (with catalog.yaml) to seed mistakes into."""
    target = tmp_path / "modules"
    shutil.copytree(modules_root(), target, ignore=shutil.ignore_patterns(".terraform*"))
    return target / "catalog.yaml"


def test_the_shipped_catalog_passes_catalog_check(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["catalog", "check"], capsys)
    assert code == 0, out
    assert "0 problems" in err
    assert "problem:" not in out


def test_a_fact_as_of_more_than_a_year_ago_is_listed_as_stale_not_a_problem() -> None:
    audit = audit_catalog(today=dt.date(2026, 12, 2))
    assert audit.ok
    assert any("exoscale.facts.non_eu_control" in line for line in audit.stale)
    later = audit_catalog(today=dt.date(2029, 1, 1))
    assert len(later.stale) > len(audit.stale)


SEEDS = [
    # (text to find in catalog.yaml, replacement, words of the problem)
    (
        "source: https://totaltele.com/america-movil-ups-stake-in-a1-telekom-austria/",
        "source: https://totaltele.com/",
        "is a home page",
    ),
    (
        "        verified: false\n        note: \"secondary source (press): América Móvil",
        "        note: \"secondary source (press): América Móvil",
        "say verified: true",
    ),
    ("fi-hel1: {display_name: Helsinki 1, country: FI,", "fi-hel1: {display_name: Helsinki 1, country: XF,", "unknown ISO 3166-1 alpha-2"),
    ("as_of: 2023-07-26", "as_of: 2099-01-01", "is in the future"),
    (
        "          eu-central-4:\n            display_name: Frankfurt (object storage)",
        "          eu-central-9:\n            display_name: Frankfurt (object storage)",
        "local.storage_regions",
    ),
    ("source: https://www.scaleway.com/en/blog/secnumcloud-strategic-challenges/", "source: www.scaleway.com", "must be an http(s) URL"),
]  # fmt: skip


@pytest.mark.parametrize(("find", "replace", "words"), SEEDS, ids=[s[2] for s in SEEDS])
def test_catalog_check_fails_on_a_seeded_mistake(
    copy: Path, capsys: pytest.CaptureFixture[str], find: str, replace: str, words: str
) -> None:
    text = copy.read_text()
    assert find in text
    copy.write_text(text.replace(find, replace, 1))
    code, out, _ = _run(["catalog", "check", "--catalog", str(copy)], capsys)
    assert code == 1
    assert words in out


def test_catalog_check_json_lists_problems(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = copy.read_text()
    assert "country: FI," in text
    copy.write_text(text.replace("country: FI,", "country: ZZ,", 1))
    code, out, _ = _run(["catalog", "check", "--catalog", str(copy), "--json"], capsys)
    assert code == 1
    assert json.loads(out)["problems"]


@pytest.mark.parametrize(
    ("url", "home"),
    [
        ("https://www.ovhcloud.com/en/", True),
        ("https://gaia-x.eu/", True),
        ("https://cispe.cloud", True),
        ("https://cispe.cloud/members/", False),
        ("sandbox:simulated", False),
    ],
)
def test_home_pages_are_told_apart_from_specific_pages(url: str, home: bool) -> None:
    assert is_home_page(url) is home


def test_catalog_show_prints_storage_regions_and_facts_with_scope_source_and_date(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = _run(["catalog", "show", "ionos"], capsys)
    assert code == 0
    assert "region us-central-1 (object_storage): US" in out
    assert "s3 https://s3.us-central-1.ionoscloud.com" in out
    code, out, _ = _run(["catalog", "show", "ovhcloud", "--json"], capsys)
    data = json.loads(out)
    scopes = {f["scope"]: f for f in data["facts"] if f["fact"] == "secnumcloud"}
    assert set(scopes) == {"offerings Hosted Private Cloud", "offerings Bare Metal Pod"}
    pod = scopes["offerings Bare Metal Pod"]
    assert pod["as_of"] == "2025-08-06" and pod["source"].startswith("https://help.ovhcloud.com/")
    # A region that object storage does not serve shows no endpoint (the template would name
    # one that does not exist), and a region sold by another entity names it.
    code, out, _ = _run(["catalog", "show", "hetzner"], capsys)
    assert (
        "region fsn1 (every capability): DE api fsn1 s3 https://fsn1.your-objectstorage.com\n"
        in out
    )
    assert "region ash (every capability): US api ash\n" in out
    code, out, _ = _run(["catalog", "show", "ovhcloud"], capsys)
    assert "region us-east-va (every capability): US api US-EAST-VA-1 entity OVH US LLC\n" in out


def test_catalog_show_of_an_unknown_provider_is_one_error_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = _run(["catalog", "show", "atlantis"], capsys)
    assert code == 1
    assert "unknown provider 'atlantis'" in err and len(err.strip().splitlines()) == 1


def test_docs_catalog_page_is_rendered_from_the_yaml(
    copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(["catalog", "docs", "--check"], capsys)
    assert code == 0, "regenerate: fedstack catalog docs"
    page = (REPO / "docs" / "catalog.md").read_text()
    assert "| `eu-central-3` Berlin (object storage) | object_storage | DE |" in page
    copy.write_text(copy.read_text().replace("Lenexa (object storage, USA)", "Lenexa, USA"))
    stale = copy.parent / "catalog.md"
    stale.write_text(page)
    code, _, err = _run(
        ["catalog", "docs", "--check", "--catalog", str(copy), "--out", str(stale)], capsys
    )
    assert code == 1 and "stale" in err
    assert _run(["catalog", "docs", "--catalog", str(copy), "--out", str(stale)], capsys)[0] == 0
    assert "Lenexa, USA" in stale.read_text()
