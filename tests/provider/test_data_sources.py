"""The data sources and the function through real `terraform apply`: placement, policy, catalog,
the inventory and stack outputs (against the session's bridge on loopback)."""

from __future__ import annotations

import json

import pytest
from provider_helpers import ProviderBridge, Root, PRODUCER_SECRET, bridge_env, outputs, plan_error

from fedstack.catalog import load_catalog
from fedstack.placement import ComponentRequest, PlacementError, Placer, Requirements
from fedstack.policy import load_policy

pytestmark = pytest.mark.slow


def test_placement_gives_the_engine_choice_and_every_refusal(root: Root) -> None:
    runner = root(
        """
data "fedstack_placement" "store" {
  capability = "object_storage"
  policy     = "eu-data-residency"
  countries  = ["de"]
}
output "placement" { value = data.fedstack_placement.store }
"""
    )
    runner.apply()
    got = outputs(runner)["placement"]
    assert isinstance(got, dict)
    catalog = load_catalog()
    decision = Placer(catalog, load_policy("eu-data-residency"), workload="t").place(
        ComponentRequest("store", "object_storage", Requirements(countries=("DE",)))
    )
    assert (got["provider"], got["region"], got["country"]) == (
        decision.provider,
        decision.region,
        "DE",
    )
    chosen = catalog.provider(str(decision.provider))
    assert got["terraform_provider"] == chosen.terraform_provider
    assert got["module"] == chosen.capabilities["object_storage"].module
    assert got["why"] == decision.why
    refused = {(r["provider"], r["region"]): r for r in got["refused"]}
    assert len(refused) == len(decision.candidates) - 1
    not_in_de = [c for c in decision.candidates if c.country != "DE"]
    assert not_in_de
    for candidate in not_in_de:
        entry = refused[(candidate.provider, candidate.region)]
        assert entry["stage"] == candidate.reasons[0].stage
        assert entry["rule"] == candidate.reasons[0].rule
        assert entry["reason"] == candidate.reasons[0].message


def test_placement_with_no_candidate_fails_with_the_plan_placement_message(root: Root) -> None:
    runner = root(
        """
data "fedstack_placement" "store" {
  capability = "object_storage"
  countries  = ["US"]
}
"""
    )
    placer = Placer(load_catalog(), load_policy("eu-data-residency"), workload="terraform")
    with pytest.raises(PlacementError) as expected:
        placer.place(
            ComponentRequest("object_storage", "object_storage", Requirements(countries=("US",)))
        )
    assert "policy data-location-eu" in str(expected.value)  # names the stage and the rule
    assert " ".join(str(expected.value).split()) in plan_error(runner)


def test_policy_check_passes_with_findings_per_rule(root: Root) -> None:
    runner = root(
        """
data "fedstack_policy_check" "ok" {
  policy        = "eu-data-residency"
  provider_name = "sandbox-fr"
  region        = "fr-par"
}
output "check" { value = data.fedstack_policy_check.ok }
"""
    )
    runner.apply()
    got = outputs(runner)["check"]
    assert isinstance(got, dict)
    assert got["outcome"] == "pass"
    expected = load_policy("eu-data-residency").check_placement(
        load_catalog(), "sandbox-fr", "fr-par"
    )
    assert [(f["rule"], f["outcome"], f["reason"], f["criterion"]) for f in got["findings"]] == [
        (f.rule_id, f.outcome.value, f.message, f.criterion) for f in expected.findings
    ]


def test_policy_failure_stops_the_plan_with_rule_and_reason(root: Root) -> None:
    failing = load_policy("eu-data-residency").check_placement(load_catalog(), "upcloud", "us-nyc1")
    rule = failing.failures()[0]
    runner = root(
        """
data "fedstack_policy_check" "bad" {
  policy        = "eu-data-residency"
  provider_name = "upcloud"
  region        = "us-nyc1"
}
resource "terraform_data" "after" {
  input = data.fedstack_policy_check.bad.outcome
}
"""
    )
    error = plan_error(runner)
    assert f"rule {rule.rule_id}" in error
    assert rule.message in error
    assert 'provider_name = "upcloud"' in error  # the diagnostic points at the attribute


def test_policy_check_without_enforce_reads_the_failure(root: Root) -> None:
    runner = root(
        """
data "fedstack_policy_check" "bad" {
  policy        = "eu-data-residency"
  provider_name = "upcloud"
  region        = "us-nyc1"
  enforce       = false
}
output "outcome" { value = data.fedstack_policy_check.bad.outcome }
"""
    )
    runner.apply()
    assert outputs(runner)["outcome"] == "fail"


def test_wrong_inputs_each_get_their_own_message_at_their_attribute(root: Root) -> None:
    cases = {
        'data "fedstack_placement" "x" {\n  capability = "teleport"\n}\n': (
            "unknown capability",
            'capability = "teleport"',
        ),
        'data "fedstack_placement" "x" {\n  capability = "network"\n  policy     = "no-such-policy"\n}\n': (
            "unknown or invalid policy",
            'policy = "no-such-policy"',
        ),
        'data "fedstack_catalog_provider" "x" {\n  name = "nimbus"\n}\n': (
            "unknown provider",
            'name = "nimbus"',
        ),
        'data "fedstack_policy_check" "x" {\n  policy = "eu-data-residency"\n'
        '  provider_name = "sandbox-fr"\n  region = "mars-1"\n}\n': (
            "unknown region",
            'region = "mars-1"',
        ),
    }
    for hcl, (summary, attribute) in cases.items():
        error = plan_error(root(hcl))
        assert summary in error, error
        assert attribute in error, error


def test_catalog_provider_gives_regions_and_facts(root: Root) -> None:
    runner = root(
        """
data "fedstack_catalog_provider" "ovh" {
  name = "ovhcloud"
}
output "ovh" { value = data.fedstack_catalog_provider.ovh }
"""
    )
    runner.apply()
    got = outputs(runner)["ovh"]
    assert isinstance(got, dict)
    ovh = load_catalog().provider("ovhcloud")
    assert (got["legal_name"], got["headquarters"], got["terraform_provider"]) == (
        ovh.legal_name,
        ovh.headquarters,
        ovh.terraform_provider,
    )
    assert [r["name"] for r in got["regions"]] == list(ovh.regions)
    assert all(r["country"] == ovh.regions[r["name"]].country for r in got["regions"])
    # Every fact, provider-wide and scoped (catalog v2), in the catalog's order.
    expected = ovh.facts.all()
    assert expected, "ovhcloud has facts in the catalog"
    assert [f["name"] for f in got["facts"]] == [name for name, _ in expected]
    for shown, (_, fact) in zip(got["facts"], expected, strict=True):
        assert shown["source"] == fact.source
        assert shown["as_of"] == fact.as_of.isoformat()
        assert shown["verified"] is (not fact.unverified)


def test_region_allowed_function_follows_the_policy(root: Root) -> None:
    runner = root(
        """
output "inside"  { value = provider::fedstack::region_allowed("eu-data-residency", "sandbox-fr", "fr-par") }
output "outside" { value = provider::fedstack::region_allowed("eu-data-residency", "upcloud", "us-nyc1") }
"""
    )
    runner.apply()
    assert outputs(runner) == {"inside": True, "outside": False}
    bad = root(
        'output "x" { value = provider::fedstack::region_allowed("eu-data-residency", "nimbus", "x") }\n'
    )
    assert "unknown provider" in plan_error(bad)


def test_inventory_reads_the_bridge_with_sensitive_values_masked(
    root: Root, provider_bridge: ProviderBridge
) -> None:
    runner = root(
        """
data "fedstack_inventory" "all" {
  project = "%s"
  type    = "terraform_data"
}
output "resources" { value = data.fedstack_inventory.all.resources }
"""
        % provider_bridge.tokens.project,
        env=bridge_env(provider_bridge, provider_bridge.tokens.read),
    )
    runner.apply()
    resources = outputs(runner)["resources"]
    assert isinstance(resources, list)
    assert [(r["stack"], r["address"], r["type"]) for r in resources] == [
        ("storage", "terraform_data.store", "terraform_data")
    ]
    attributes = resources[0]["attributes_json"]
    assert "invoices-eu" in attributes
    assert PRODUCER_SECRET not in attributes
    assert PRODUCER_SECRET not in json.dumps(runner.show_json())


def test_stack_outputs_with_a_read_token_keep_sensitive_ones_apart(
    root: Root, provider_bridge: ProviderBridge
) -> None:
    runner = root(
        """
data "fedstack_stack_outputs" "storage" {
  project = "%s"
  stack   = "storage"
}
output "bucket"    { value = data.fedstack_stack_outputs.storage.outputs["bucket"] }
output "replicas"  { value = data.fedstack_stack_outputs.storage.outputs["replicas"] }
output "sensitive" { value = data.fedstack_stack_outputs.storage.has_sensitive }
output "password" {
  value     = data.fedstack_stack_outputs.storage.sensitive_outputs["password"]
  sensitive = true
}
"""
        % provider_bridge.tokens.project,
        env=bridge_env(provider_bridge, provider_bridge.tokens.read),
    )
    plan = runner.run("plan", "-input=false", "-no-color")
    assert PRODUCER_SECRET not in plan
    runner.apply()
    assert outputs(runner) == {
        "bucket": "invoices-eu",
        "replicas": "3",
        "sensitive": True,
        "password": PRODUCER_SECRET,
    }
    assert runner.output()["password"]["sensitive"] is True


def test_bridge_that_does_not_answer_is_a_clear_error(root: Root) -> None:
    from bridge_helpers import free_port

    runner = root(
        'data "fedstack_inventory" "all" {}\n',
        env={
            "FEDSTACK_BRIDGE_URL": f"http://127.0.0.1:{free_port()}",
            "FEDSTACK_BRIDGE_TOKEN": "fst_x",
        },
    )
    error = plan_error(runner)
    assert "the fedstack bridge does not answer" in error
    assert "fst_x" not in error


def test_no_bridge_configured_names_the_setting(root: Root) -> None:
    error = plan_error(
        root('data "fedstack_stack_outputs" "s" {\n  project = "p"\n  stack = "s"\n}\n')
    )
    assert "fedstack_stack_outputs needs the fedstack bridge" in error
    assert "FEDSTACK_BRIDGE_URL" in error


def test_wrong_token_is_told_apart(root: Root, provider_bridge: ProviderBridge) -> None:
    runner = root(
        'data "fedstack_inventory" "all" {}\n',
        env=bridge_env(provider_bridge, "fst_aaaaaaaaaaaa_" + "b" * 43),
    )
    error = plan_error(runner)
    assert "the fedstack bridge refused the token" in error
    assert "b" * 43 not in error
