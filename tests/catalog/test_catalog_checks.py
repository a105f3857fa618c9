"""The catalog loader refuses a bad catalog with one message naming the file and the key.

Each test writes a small catalog (and its module folders) into a tmp dir and loads it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from fedstack.catalog import load_catalog
from fedstack.errors import CatalogError
from fedstack.policy import Outcome, Policy

FACT = {"value": False, "source": "https://example.eu/facts", "as_of": "2026-11-01"}


def _provider(**changes: Any) -> dict[str, Any]:
    provider: dict[str, Any] = {
        "display_name": "Example",
        "legal_name": "Example Cloud SAS",
        "headquarters": "FR",
        "terraform_provider": "example/example",
        "regions": {"par": {"country": "FR"}},
        "facts": {"non_eu_control": dict(FACT)},
        "capabilities": {"object_storage": {"module": "object_storage/example"}},
    }
    provider.update(changes)
    return provider


def _write(
    tmp_path: Path, provider: dict[str, Any], folders: tuple[str, ...] = ("object_storage/example",)
) -> Path:
    for folder in folders:
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / "main.tf").write_text("# module\n")
    file = tmp_path / "catalog.yaml"
    file.write_text(yaml.safe_dump({"schema_version": 1, "providers": {"example": provider}}))
    return file


def _refusal(file: Path) -> str:
    with pytest.raises(CatalogError) as caught:
        load_catalog(file)
    return str(caught.value)


def test_a_valid_small_catalog_loads(tmp_path: Path) -> None:
    catalog = load_catalog(_write(tmp_path, _provider()))
    assert catalog.module_path("example", "object_storage") == tmp_path / "object_storage/example"
    assert catalog.provider("example").facts.non_eu_control.value is False


def test_fact_without_source_is_refused_naming_the_fact(tmp_path: Path) -> None:
    fact = {k: v for k, v in FACT.items() if k != "source"}
    message = _refusal(_write(tmp_path, _provider(facts={"bsi_c5": fact})))
    assert str(tmp_path / "catalog.yaml") in message
    assert "providers.example.facts.bsi_c5.source" in message


def test_fact_whose_source_is_not_a_url_is_refused(tmp_path: Path) -> None:
    fact = {**FACT, "source": "the sales brochure"}
    message = _refusal(_write(tmp_path, _provider(facts={"secnumcloud": fact})))
    assert "providers.example.facts.secnumcloud.source" in message
    assert "http(s) URL" in message


def test_cloud_provider_citing_a_sandbox_source_is_refused(tmp_path: Path) -> None:
    fact = {**FACT, "source": "sandbox:simulated"}
    message = _refusal(_write(tmp_path, _provider(facts={"cispe_member": fact})))
    assert "only sandbox providers may cite sandbox:" in message


def test_unknown_region_country_code_is_refused_naming_the_region(tmp_path: Path) -> None:
    message = _refusal(_write(tmp_path, _provider(regions={"par": {"country": "XX"}})))
    assert "providers.example.regions.par.country" in message
    assert "'XX'" in message


def test_unknown_headquarters_country_code_is_refused(tmp_path: Path) -> None:
    message = _refusal(_write(tmp_path, _provider(headquarters="EU")))
    assert "providers.example.headquarters" in message


def test_capability_whose_module_folder_is_missing_is_refused(tmp_path: Path) -> None:
    file = _write(tmp_path, _provider(), folders=())
    message = _refusal(file)
    assert "providers.example.capabilities.object_storage.module" in message
    assert "object_storage/example" in message


def test_capability_pointing_at_another_capabilitys_module_is_refused(tmp_path: Path) -> None:
    provider = _provider(capabilities={"object_storage": {"module": "network/example"}})
    message = _refusal(_write(tmp_path, provider, folders=("network/example",)))
    assert "providers.example.capabilities.object_storage.module" in message


def test_module_folder_the_catalog_does_not_list_is_refused(tmp_path: Path) -> None:
    file = _write(tmp_path, _provider(), folders=("object_storage/example", "network/example"))
    message = _refusal(file)
    assert str(file) in message
    assert "modules/network/example" in message
    assert "does not list" in message


def test_capability_both_offered_and_unsupported_is_refused(tmp_path: Path) -> None:
    provider = _provider(unsupported={"object_storage": "none"})
    assert "both offered and unsupported" in _refusal(_write(tmp_path, provider))


def test_unknown_size_class_is_refused(tmp_path: Path) -> None:
    message = _refusal(_write(tmp_path, _provider(sizes={"xxl": "huge"})))
    assert "providers.example.sizes" in message


CLOUD_PROVIDERS = {
    "ovhcloud",
    "scaleway",
    "ionos",
    "hetzner",
    "exoscale",
    "upcloud",
    "stackit",
    "open-telekom-cloud",
    # catalog entries without modules
    "outscale",
    "cloud-temple",
    "plusserver",
    "cleura",
    "infomaniak",
    "seeweb",
    "s3ns",
}


def test_the_shipped_catalog_lists_every_european_provider_and_the_sandboxes() -> None:
    catalog = load_catalog()
    assert {n for n, p in catalog.providers.items() if p.kind == "cloud"} == CLOUD_PROVIDERS
    assert catalog.sandbox_providers() == ["sandbox-fr", "sandbox-de", "sandbox-nl", "sandbox-it"]


def test_every_sandbox_region_has_an_api_region_of_its_own() -> None:
    # The bridge places a resource by its region name alone when no placement names the
    # provider; a name two sandbox providers share resolves to neither (no live finding).
    catalog = load_catalog()
    names = [
        (region.api_region, f"{provider}/{name}")
        for provider in catalog.sandbox_providers()
        for name, region in catalog.provider(provider).regions.items()
    ]
    shared = {a for a, _ in names if sum(1 for b, _ in names if b == a) > 1}
    assert not shared, [where for a, where in names if a in shared]


def test_the_shipped_catalog_keeps_non_eu_regions_so_policies_can_refuse_them() -> None:
    catalog = load_catalog()
    countries = {
        name: {region.country for region in catalog.provider(name).regions.values()}
        for name in CLOUD_PROVIDERS
    }
    assert {"GB", "CA", "US", "IN"} <= countries["ovhcloud"]
    assert {"GB", "US"} <= countries["ionos"]
    assert {"US", "SG"} <= countries["hetzner"]
    assert "CH" in countries["exoscale"]
    assert {"GB", "US", "SG", "AU"} <= countries["upcloud"]
    assert "CH" in countries["open-telekom-cloud"]


def test_the_ovhcloud_us_regions_contract_with_a_us_entity_and_get_no_module() -> None:
    # OVHcloud US sells Vint Hill and Hillsboro through OVH US LLC and its own API: a policy
    # must see the US entity, and placement must not send an EU-API module there.
    ovh = load_catalog().provider("ovhcloud")
    for region in ("us-east-va", "us-west-or"):
        entity = ovh.entity_for(region)
        assert entity is not None
        assert (entity.legal_name, entity.headquarters) == ("OVH US LLC", "US")
        assert ovh.regions[region].country == "US"
        assert not any(ovh.offers(capability, region) for capability in ovh.capabilities)
    assert ovh.entity_for("gra") is None
    policy = Policy.model_validate({"rules": [{"id": "headquarters-eu"}]})
    (us,) = policy.check_placement(load_catalog(), "ovhcloud", "us-east-va", None).findings
    (fr,) = policy.check_placement(load_catalog(), "ovhcloud", "gra", None).findings
    assert us.outcome is Outcome.FAIL and "OVH US LLC, headquartered in US" in us.message
    assert fr.outcome is Outcome.PASS, fr.message
    assert ovh.offers("object_storage", "ap-south-mum")
    assert not ovh.offers("compute", "ap-south-mum")


def test_the_shipped_catalog_explains_each_missing_capability() -> None:
    catalog = load_catalog()
    assert "kubernetes" in catalog.provider("hetzner").unsupported
    assert "dns_record" in catalog.provider("upcloud").unsupported
    assert "kubernetes" in catalog.provider("sandbox-fr").unsupported
    assert not catalog.provider("hetzner").offers("object_storage", "ash")
    assert catalog.provider("hetzner").offers("object_storage", "fsn1")


def test_every_shipped_fact_has_a_source_and_every_unsourced_claim_is_marked() -> None:
    for name, provider in load_catalog().providers.items():
        for fact_name, fact in provider.facts.all():
            assert fact.source, f"{name}.{fact_name}"
            # A home page cannot prove a claim: such facts must say they are unverified.
            if provider.kind == "cloud" and fact.source.rstrip("/").count("/") <= 2:
                assert fact.unverified, f"{name}.{fact_name} cites only {fact.source}"


def test_s3_endpoint_templates_fill_in_the_region() -> None:
    catalog = load_catalog()
    assert catalog.provider("exoscale").s3_endpoint_for("de-fra-1") == "https://sos-de-fra-1.exo.io"
    assert catalog.provider("ovhcloud").s3_endpoint_for("gra") == "https://s3.gra.io.cloud.ovh.net"
    assert catalog.provider("scaleway").s3_endpoint_for("nl-ams") == "https://s3.nl-ams.scw.cloud"


def test_regions_whose_endpoint_the_template_does_not_fit_give_their_own() -> None:
    # The providers' docs: OVHcloud's Sydney storage region is ap-southeast-syd, and the Swiss
    # Open Telekom Cloud sits under sc.otc.t-systems.com.
    catalog = load_catalog()
    ovh = catalog.provider("ovhcloud")
    assert ovh.s3_endpoint_for("ap-southeast-syd") == "https://s3.ap-southeast-syd.io.cloud.ovh.net"
    assert ovh.s3_endpoint_for("ap-south-mum") == "https://s3.ap-south-mum.io.cloud.ovh.net"
    assert ovh.regions_for("object_storage")["ap-southeast-syd"].country == "AU"
    assert not ovh.offers("compute", "ap-south-mum") and ovh.offers(
        "object_storage", "ap-south-mum"
    )
    otc = catalog.provider("open-telekom-cloud")
    assert otc.s3_endpoint_for("eu-ch2") == "https://obs.eu-ch2.sc.otc.t-systems.com"
    assert otc.s3_endpoint_for("eu-de") == "https://obs.eu-de.otc.t-systems.com"


def test_s3_endpoint_template_with_an_unknown_placeholder_is_refused(tmp_path: Path) -> None:
    message = _refusal(_write(tmp_path, _provider(s3_endpoint="https://{zone}.example.eu")))
    assert "providers.example.s3_endpoint" in message


def test_capability_region_that_is_not_a_provider_region_is_refused(tmp_path: Path) -> None:
    provider = _provider(
        capabilities={"object_storage": {"module": "object_storage/example", "regions": ["lon"]}}
    )
    assert "'lon' is not a region" in _refusal(_write(tmp_path, provider))


def test_asking_for_an_unsupported_capability_gives_the_catalogs_reason() -> None:
    with pytest.raises(CatalogError, match="Hetzner offers no managed Kubernetes service"):
        load_catalog().module_path("hetzner", "kubernetes")
