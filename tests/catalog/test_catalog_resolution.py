"""`policy check` finds the catalog provider and storage region of resources in the shipped
catalog: IONOS buckets by their object storage region (one is in the USA), and OVHcloud compute
reached through the OpenStack Terraform provider, told apart by its auth_url.

The plan is hand-written in the `terraform show -json` format (1.2): neither the ionoscloud nor
the openstack provider is in the local mirror, so they cannot be planned here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fedstack.catalog import load_catalog
from fedstack.policy import PRESETS, Outcome, Policy, check_plan

P, F, U = Outcome.PASS, Outcome.FAIL, Outcome.UNKNOWN


def _resource(address: str, after: dict[str, Any], provider: str, key: str) -> dict[str, Any]:
    type_, name = address.split(".")
    return {
        "change": {
            "address": address,
            "mode": "managed",
            "type": type_,
            "name": name,
            "provider_name": f"registry.terraform.io/{provider}",
            "change": {"actions": ["create"], "after": after},
        },
        "config": {"address": address, "mode": "managed", "type": type_, "name": name,
                   "provider_config_key": key},
    }  # fmt: skip


def _plan(tmp_path: Path) -> Path:
    openstack = "terraform-provider-openstack/openstack"
    resources = [
        _resource("ionoscloud_s3_bucket.eu", {"name": "a", "region": "eu-central-3"},
                  "ionos-cloud/ionoscloud", "ionoscloud"),
        _resource("ionoscloud_s3_bucket.us", {"name": "b", "region": "us-central-1"},
                  "ionos-cloud/ionoscloud", "ionoscloud"),
        _resource("openstack_compute_instance_v2.ovh", {"name": "web", "region": "GRA11"},
                  openstack, "openstack.ovh"),
        _resource("openstack_compute_instance_v2.bare", {"name": "web", "region": "GRA11"},
                  openstack, "openstack.bare"),
        _resource("openstack_compute_instance_v2.other", {"name": "web", "region": "RegionOne"},
                  openstack, "openstack.other"),
    ]  # fmt: skip

    def block(alias: str, auth_url: str | None) -> dict[str, Any]:
        expressions = {"auth_url": {"constant_value": auth_url}} if auth_url else {}
        return {"name": "openstack", "alias": alias, "full_name": f"registry.terraform.io/{openstack}",
                "expressions": expressions}  # fmt: skip

    plan = {
        "format_version": "1.2",
        "resource_changes": [r["change"] for r in resources],
        "configuration": {
            "provider_config": {
                "ionoscloud": {
                    "name": "ionoscloud",
                    "full_name": "registry.terraform.io/ionos-cloud/ionoscloud",
                },
                "openstack.ovh": block("ovh", "https://auth.cloud.ovh.net/v3"),
                "openstack.bare": block("bare", None),
                "openstack.other": block("other", "https://keystone.example.org:5000/v3"),
            },  # fmt: skip
            "root_module": {"resources": [r["config"] for r in resources]},
        },
    }
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    return path


@pytest.mark.parametrize(
    ("address", "provider", "region", "country", "outcome", "words"),
    [
        ("ionoscloud_s3_bucket.eu", "ionos", "eu-central-3", "DE", P, ""),
        ("ionoscloud_s3_bucket.us", "ionos", "us-central-1", "US", F, "is in US"),
        ("openstack_compute_instance_v2.ovh", "ovhcloud", "gra", "FR", P, ""),
        ("openstack_compute_instance_v2.bare", None, None, None, U, "sets no auth_url"),
        ("openstack_compute_instance_v2.other", None, None, None, U, "matches no single"),
    ],
)
def test_policy_check_resolves_storage_regions_and_resources_of_another_terraform_provider(
    tmp_path: Path,
    address: str,
    provider: str | None,
    region: str | None,
    country: str | None,
    outcome: Outcome,
    words: str,
) -> None:
    report = check_plan(
        _plan(tmp_path), catalog=load_catalog(), policy=PRESETS["eu-data-residency"]
    )
    entry = {r.address: r for r in report.resources}[address]
    assert (entry.provider, entry.region, entry.country, entry.outcome) == (
        provider,
        region,
        country,
        outcome,
    ), entry
    text = (entry.unresolved or "") + " ".join(f.message for f in entry.findings)
    assert words in text


def test_a_policy_tells_s3ns_apart_by_its_technology_supplier() -> None:
    """S3NS is SecNumCloud-qualified for its offer and French-controlled, but runs a US
    vendor's technology: technology-supplier-eu fails it where no-non-eu-control passes."""
    policy = Policy.model_validate(
        {"rules": [{"id": "technology-supplier-eu"}, {"id": "no-non-eu-control"}]}
    )
    check = policy.check_placement(load_catalog(), "s3ns", "u-france-east1")
    outcomes = {f.rule_id: f.outcome for f in check.findings}
    assert outcomes == {"technology-supplier-eu": F, "no-non-eu-control": P}
    assert "Google (US)" in check.findings[0].message


def test_catalog_only_providers_are_known_to_policy_check_but_never_placed() -> None:
    catalog = load_catalog()
    for name in (
        "outscale",
        "cloud-temple",
        "plusserver",
        "cleura",
        "infomaniak",
        "seeweb",
        "s3ns",
    ):
        provider = catalog.provider(name)
        assert not provider.capabilities and set(provider.unsupported) >= {"compute"}
