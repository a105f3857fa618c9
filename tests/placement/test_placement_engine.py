"""Placement under a policy: pure Python, on the real catalog (no CDK library, no Node)."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from fedstack.catalog import load_catalog
from fedstack.placement import ComponentRequest, PlacementError, Placer, Requirements
from fedstack.policy import Policy, load_policy

NON_EU = {
    ("sandbox-fr", "ca-bhs"): "CA",
    ("sandbox-de", "ch-zrh"): "CH",
    ("sandbox-nl", "uk-lon"): "GB",
}


@pytest.fixture(scope="module")
def catalog():  # type: ignore[no-untyped-def]
    return load_catalog()


def _placer(catalog, policy, spread=1):  # type: ignore[no-untyped-def]
    return Placer(catalog, policy, workload="shop", spread=spread)


def test_eu_only_policy_refuses_every_non_eu_region_with_the_rule(catalog) -> None:
    decision = _placer(catalog, load_policy("eu-data-residency")).place(
        ComponentRequest("data", "object_storage")
    )
    refused = {(c.provider, c.region): c for c in decision.candidates if not c.accepted}
    assert set(NON_EU) <= set(refused)
    for place, country in NON_EU.items():
        reasons = refused[place].reasons
        assert [(r.stage, r.rule) for r in reasons] == [("policy", "data-location-eu")]
        assert f"is in {country}, outside the EEA" in reasons[0].message
    assert (decision.provider, decision.region) not in NON_EU


def test_minimum_gaia_x_level_refuses_providers_below_it_or_unverified(catalog) -> None:
    policy = Policy.build(min_gaia_x_level="level-2")
    decision = _placer(catalog, policy).place(ComponentRequest("data", "object_storage"))
    assert (decision.provider, decision.region) == ("sandbox-fr", "fr-par")
    by_place = {(c.provider, c.region): c for c in decision.candidates}
    de = [r for r in by_place["sandbox-de", "de-fra"].reasons if r.rule == "gaia-x-label-min"]
    assert de and de[0].message.startswith("fail: ") and "level-1" in de[0].message
    nl = [r for r in by_place["sandbox-nl", "nl-ams"].reasons if r.rule == "gaia-x-label-min"]
    assert nl and nl[0].message.startswith("unknown: ") and "unverified" in nl[0].message


def test_unsatisfiable_policy_names_the_rule_that_eliminated_the_last_candidates(catalog) -> None:
    placer = _placer(catalog, Policy.build(min_gaia_x_level="level-3"))
    with pytest.raises(PlacementError) as raised:
        placer.place(ComponentRequest("data", "object_storage"))
    message = str(raised.value)
    assert "no placement for component 'data' (object_storage) of workload 'shop'" in message
    # data-location-eu removes the non-EU regions first; the Gaia-X rule empties the rest.
    assert re.search(r"policy gaia-x-label-min refused the last \d+ candidate\(s\)", message)
    assert raised.value.decisions[-1].provider is None


def test_requirements_that_leave_nothing_name_the_requirement(catalog) -> None:
    placer = _placer(catalog, load_policy("eu-data-residency"))
    with pytest.raises(PlacementError, match=r"requirement countries refused the last \d+"):
        placer.place(ComponentRequest("data", "object_storage", Requirements(countries=("MT",))))


def test_capability_no_provider_offers_is_refused_at_the_capability_stage(catalog) -> None:
    sandboxes = {n: p for n, p in catalog.providers.items() if p.kind == "sandbox"}
    placer = _placer(
        catalog.model_copy(update={"providers": sandboxes}), load_policy("eu-data-residency")
    )
    with pytest.raises(PlacementError, match=r"capability kubernetes refused the last"):
        placer.place(ComponentRequest("k8s", "kubernetes"))


def test_preferences_avoidance_and_not_with_are_honoured_and_explained(catalog) -> None:
    placer = _placer(catalog, load_policy("eu-sovereign"))
    first = placer.place(
        ComponentRequest("a", "object_storage", Requirements(prefer=("sandbox-nl",)))
    )
    assert (first.provider, first.why) == ("sandbox-nl", "preferred provider sandbox-nl")
    second = placer.place(
        ComponentRequest(
            "b", "object_storage", Requirements(avoid=("sandbox-fr",), not_with=("a",))
        )
    )
    assert second.provider == "sandbox-de"
    reasons = {(c.provider, c.region): [r.rule for r in c.reasons] for c in second.candidates}
    assert "avoid" in reasons["sandbox-fr", "fr-par"]
    assert "not-with" in reasons["sandbox-nl", "nl-ams"]


def test_component_with_a_peer_shares_its_provider_and_region(catalog) -> None:
    placer = _placer(catalog, load_policy("eu-sovereign"))
    placer.place(ComponentRequest("net", "network", Requirements(prefer=("sandbox-de",))))
    vm = placer.place(
        ComponentRequest("vm", "compute", Requirements(size="s"), with_component="net")
    )
    assert (vm.provider, vm.region) == ("sandbox-de", "de-fra")


def test_spread_moves_components_to_new_providers_then_is_checked(catalog) -> None:
    placer = _placer(catalog, load_policy("eu-sovereign"), spread=3)
    providers = [placer.place(ComponentRequest(n, "object_storage")).provider for n in "abc"]
    assert len(set(providers)) == 3
    placer.check_spread()
    short = _placer(catalog, load_policy("eu-sovereign"), spread=2)
    short.place(ComponentRequest("a", "object_storage"))
    with pytest.raises(PlacementError, match="spread across at least 2 providers"):
        short.check_spread()


def test_placement_is_deterministic(catalog) -> None:
    def run() -> list[tuple[str | None, str | None, str]]:
        placer = _placer(catalog, load_policy("eu-sovereign"), spread=2)
        return [
            (d.provider, d.region, d.why)
            for d in (placer.place(ComponentRequest(n, "object_storage")) for n in "abcd")
        ]

    assert run() == run()


def test_unknown_size_is_refused_as_an_offering(catalog) -> None:
    placer = _placer(catalog, load_policy("eu-sovereign"))
    with pytest.raises(PlacementError, match=r"offering size refused"):
        placer.place(ComponentRequest("vm", "compute", Requirements(size="xxl")))


def test_placement_imports_no_cdk_library() -> None:
    code = (
        "import sys, fedstack.placement, fedstack.stacks, fedstack.cli\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('cdktf', 'cdktn', 'jsii')]\n"
        "assert not bad, bad\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
