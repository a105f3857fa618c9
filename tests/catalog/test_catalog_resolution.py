"""`policy check` finds the catalog provider and storage region of resources in the shipped
catalog: IONOS, UpCloud and OVHcloud buckets by their object storage region (some are outside
the EU; OVHcloud's by region_name or S3 endpoint), and OVHcloud compute reached through the OpenStack Terraform provider, told apart by its auth_url.

The plan is hand-written in the `terraform show -json` format (1.2): none of the ionoscloud,
upcloud, ovh and openstack providers is in the local mirror, so they cannot be planned here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fedstack.catalog import load_catalog
from fedstack.placement import ComponentRequest, Placer
from fedstack.policy import PRESETS, Outcome, Policy, check_plan

P, F, U = Outcome.PASS, Outcome.FAIL, Outcome.UNKNOWN


def _resource(
    address: str,
    after: dict[str, Any],
    provider: str,
    key: str,
    expressions: dict[str, Any] | None = None,
) -> dict[str, Any]:
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
                   "provider_config_key": key, "expressions": expressions or {}},
    }  # fmt: skip


def _plan(tmp_path: Path) -> Path:
    openstack = "terraform-provider-openstack/openstack"
    upcloud = "UpCloudLtd/upcloud"

    def service(ref: str) -> dict[str, Any]:
        return {"service_uuid": {"references": [f"{ref}.id", ref]}}

    resources = [
        _resource("ionoscloud_s3_bucket.eu", {"name": "a", "region": "eu-central-3"},
                  "ionos-cloud/ionoscloud", "ionoscloud"),
        _resource("ionoscloud_s3_bucket.us", {"name": "b", "region": "us-central-1"},
                  "ionos-cloud/ionoscloud", "ionoscloud"),
        # What object_storage/upcloud plans: a service in the storage region, a bucket in it.
        _resource("upcloud_managed_object_storage.eu", {"name": "c", "region": "europe-2"},
                  upcloud, "upcloud"),
        _resource("upcloud_managed_object_storage_bucket.eu", {"name": "c"}, upcloud, "upcloud",
                  service("upcloud_managed_object_storage.eu")),
        _resource("upcloud_managed_object_storage.us", {"name": "d", "region": "us-1"},
                  upcloud, "upcloud"),
        _resource("upcloud_managed_object_storage_bucket.us", {"name": "d"}, upcloud, "upcloud",
                  service("upcloud_managed_object_storage.us")),
        # What object_storage/ovh plans (region_name), and an S3 client at an OVHcloud endpoint.
        _resource("ovh_cloud_project_storage.gra", {"name": "e", "region_name": "GRA"},
                  "ovh/ovh", "ovh"),
        _resource("ovh_cloud_project_storage.syd",
                  {"name": "f", "region_name": "AP-SOUTHEAST-SYD"}, "ovh/ovh", "ovh"),
        _resource("aws_s3_bucket.ovh_syd", {"bucket": "g"}, "hashicorp/aws", "aws.ovh_syd"),
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
                "upcloud": {"name": "upcloud", "full_name": f"registry.terraform.io/{upcloud}"},
                "ovh": {"name": "ovh", "full_name": "registry.terraform.io/ovh/ovh"},
                "aws.ovh_syd": {
                    "name": "aws",
                    "alias": "ovh_syd",
                    "full_name": "registry.terraform.io/hashicorp/aws",
                    "expressions": {
                        "endpoints": [
                            {
                                "s3": {
                                    "constant_value": "https://s3.ap-southeast-syd.io.cloud.ovh.net"
                                }
                            }
                        ]
                    },
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
        ("upcloud_managed_object_storage.eu", "upcloud", "europe-2", "DE", P, ""),
        ("upcloud_managed_object_storage_bucket.eu", "upcloud", "europe-2", "DE", P, ""),
        ("upcloud_managed_object_storage.us", "upcloud", "us-1", "US", F, "is in US"),
        ("upcloud_managed_object_storage_bucket.us", "upcloud", "us-1", "US", F, "is in US"),
        ("ovh_cloud_project_storage.gra", "ovhcloud", "gra", "FR", P, ""),
        ("ovh_cloud_project_storage.syd", "ovhcloud", "ap-southeast-syd", "AU", F, "is in AU"),
        ("aws_s3_bucket.ovh_syd", "ovhcloud", "ap-southeast-syd", "AU", F, "is in AU"),
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


@pytest.mark.parametrize(
    ("region", "country", "outcome"),
    [
        ("europe-1", "FI", P),
        ("europe-2", "DE", P),
        ("europe-3", "SE", P),
        ("us-1", "US", F),
        ("apac-1", "SG", F),
    ],
)
def test_an_upcloud_bucket_is_judged_by_its_storage_region_not_a_zone(
    region: str, country: str, outcome: Outcome
) -> None:
    """UpCloud's storage regions have countries of their own (the primary zone's): us-1 holds
    the data in Chicago whatever zone the caller thinks of."""
    policy = Policy.model_validate(
        {"rules": [{"id": "data-location-eu"}, {"id": "processing-location-declared"}]}
    )
    check = policy.check_placement(load_catalog(), "upcloud", region, "object_storage")
    assert {f.rule_id: f.outcome for f in check.findings} == {
        "data-location-eu": outcome,
        "processing-location-declared": P,
    }, check.findings
    assert load_catalog().provider("upcloud").regions_for("object_storage")[region].country == (
        country
    )


def test_placement_puts_an_upcloud_bucket_in_an_eu_storage_region_only() -> None:
    placer = Placer(load_catalog(), Policy.build(allowed_providers=["upcloud"]), workload="w")
    bucket = placer.place(ComponentRequest("bucket", "object_storage"))
    assert (bucket.provider, bucket.region, bucket.country) == ("upcloud", "europe-1", "FI")
    upcloud = {c.region: c for c in bucket.candidates if c.provider == "upcloud"}
    assert set(upcloud) == {"europe-1", "europe-2", "europe-3", "us-1", "apac-1"}
    refused = {region: c for region, c in upcloud.items() if c.reasons}
    assert set(refused) == {"us-1", "apac-1"}
    assert all(any(r.rule == "data-location-eu" for r in c.reasons) for c in refused.values()), (
        refused
    )
    # A zone is not a storage region: the module would refuse it, so placement never offers it.
    assert not load_catalog().provider("upcloud").offers("object_storage", "us-chi1")


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
