"""The exit plan: the placement engine with a provider excluded, and the comparison of plans.

Pure Python on the real catalog (no CDK library, no Node); the CLI tests run a real app.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fedstack.catalog import load_catalog
from fedstack.contracts import (
    ExitLock,
    ExitRecord,
    PlacementPlan,
    read_exit_lock,
    write_exit_lock,
)
from fedstack.contracts.errors import ContractError
from fedstack.exit import build_exit_plan
from fedstack.placement import ComponentRequest, PlacementError, Placer
from fedstack.policy import load_policy


@pytest.fixture(scope="module")
def catalog():  # type: ignore[no-untyped-def]
    return load_catalog()


def test_excluded_provider_is_refused_in_every_region_with_the_exit_reason(catalog) -> None:
    placer = Placer(
        catalog, load_policy("eu-data-residency"), workload="shop", exclude=("sandbox-fr",)
    )
    decision = placer.place(ComponentRequest("data", "object_storage"))
    fr = [c for c in decision.candidates if c.provider == "sandbox-fr"]
    assert fr and all(("requirement", "exit") in {(r.stage, r.rule) for r in c.reasons} for c in fr)
    assert decision.provider != "sandbox-fr"


def test_excluded_region_leaves_the_providers_other_regions_open(catalog) -> None:
    placer = Placer(
        catalog,
        load_policy("eu-data-residency"),
        workload="shop",
        exclude=("sandbox-de/de-fra",),
    )
    decision = placer.place(ComponentRequest("net", "network"))
    by_place = {(c.provider, c.region): c for c in decision.candidates}
    assert [r.rule for r in by_place["sandbox-de", "de-fra"].reasons] == ["exit"]
    assert not any(r.rule == "exit" for r in by_place["sandbox-de", "ch-zrh"].reasons)


def test_exit_with_no_candidate_under_the_policy_names_the_rule(catalog) -> None:
    # Only sandbox-fr holds a Gaia-X level 2 label: leaving it leaves nothing.
    placer = Placer(
        catalog, load_policy("gaia-x-label-2"), workload="shop", exclude=("sandbox-fr",)
    )
    with pytest.raises(PlacementError, match="policy gaia-x-label-min refused the last"):
        placer.place(ComponentRequest("data", "object_storage"))


def _plan(*decisions: tuple[str, str | None, str | None]) -> PlacementPlan:
    return PlacementPlan.model_validate(
        {
            "project": "shop",
            "policy": "eu-sovereign",
            "workloads": [
                {
                    "workload": "shop",
                    "spread": 1,
                    "decisions": [
                        {
                            "component": name,
                            "capability": "object_storage" if name == "data" else "network",
                            "provider": provider,
                            "region": region,
                            "country": "FR" if provider else None,
                            "why": "no candidate left" if provider is None else "first",
                        }
                        for name, provider, region in decisions
                    ],
                }
            ],
        }
    )


def test_plan_lists_moves_knock_on_moves_and_stays() -> None:
    current = _plan(
        ("data", "sandbox-fr", "fr-par"), ("net", "sandbox-de", "de-fra"), ("dns", "x", "y")
    )
    after = _plan(
        ("data", "sandbox-de", "de-fra"), ("net", "sandbox-nl", "nl-ams"), ("dns", "x", "y")
    )
    plan = build_exit_plan(current, after, None, "sandbox-fr")
    assert [(m.component, m.source, m.target, m.knock_on) for m in plan.moves] == [
        ("data", "sandbox-fr/fr-par", "sandbox-de/de-fra", False),
        ("net", "sandbox-de/de-fra", "sandbox-nl/nl-ams", True),
    ]
    assert [s.component for s in plan.stays] == ["dns"]
    assert plan.possible and not plan.noop


def test_plan_for_a_region_leaves_the_providers_other_regions_alone() -> None:
    current = _plan(("data", "sandbox-fr", "fr-par"), ("net", "sandbox-fr", "ca-bhs"))
    after = _plan(("data", "sandbox-de", "de-fra"), ("net", "sandbox-fr", "ca-bhs"))
    plan = build_exit_plan(current, after, None, "sandbox-fr", "fr-par")
    assert [m.component for m in plan.moves] == ["data"]
    assert [s.component for s in plan.stays] == ["net"]
    assert plan.leaving == "sandbox-fr/fr-par"


def test_component_without_candidate_is_blocked_with_the_engines_reason() -> None:
    current = _plan(("data", "sandbox-fr", "fr-par"), ("net", "sandbox-de", "de-fra"))
    after = _plan(("data", None, None))
    error = "no placement for component 'data'"
    plan = build_exit_plan(current, after, error, "sandbox-fr")
    assert [(b.component, b.why) for b in plan.blocked] == [("data", "no candidate left")]
    assert not plan.possible
    assert plan.summary().startswith("cannot leave sandbox-fr: shop/data (object_storage)")
    assert "no candidate left" in plan.summary()


def test_nothing_at_the_provider_is_a_noop() -> None:
    current = _plan(("data", "sandbox-de", "de-fra"))
    plan = build_exit_plan(current, current, None, "sandbox-fr")
    assert plan.noop and "nothing to do" in plan.summary()


def test_exit_lock_round_trips_and_records_an_exit_once(tmp_path: Path) -> None:
    assert read_exit_lock(tmp_path).excluded() == ()
    lock = ExitLock().with_exit(ExitRecord(provider="sandbox-fr", at="2026-12-02T12:00:00Z"))
    lock = lock.with_exit(ExitRecord(provider="sandbox-fr")).with_exit(
        ExitRecord(provider="sandbox-de", region="ch-zrh")
    )
    write_exit_lock(tmp_path, lock)
    assert read_exit_lock(tmp_path).excluded() == ("sandbox-fr", "sandbox-de/ch-zrh")


def test_malformed_exit_lock_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "fedstack.exits.json").write_text("{not json")
    with pytest.raises(ContractError, match="fedstack.exits.json: not an exit lock"):
        read_exit_lock(tmp_path)
