"""Catalog v2 through the policy rules, placement and `policy check`: storage regions of their
own, offer-scoped facts, region entities, third-country transfers, technology suppliers.

The catalog is tests/catalog/data/catalog.yaml (loaded by the real loader); the plan test runs
real terraform (hashicorp/aws from the local mirror) against S3 endpoints that are never
contacted: planning new buckets with the skip_* settings makes no API call.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fedstack.catalog import Catalog, load_catalog
from fedstack.cli import main
from fedstack.errors import CatalogError
from fedstack.placement import ComponentRequest, Placer
from fedstack.policy import Outcome, Policy, PolicyReport
from fedstack.sandbox import SANDBOX_CREDENTIALS, aws_provider_config
from fedstack.terraform import Terraform

DATA = Path(__file__).resolve().parent / "data"
P, F, U = Outcome.PASS, Outcome.FAIL, Outcome.UNKNOWN


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(DATA / "catalog.yaml")


CASES = [
    # rule, provider, region, capability, outcome, words in the message
    # A storage region of its own, with its own country.
    ({"id": "data-location-eu"}, "storeco", "us-central-1", "object_storage", F, "is in US"),
    ({"id": "data-location-eu"}, "storeco", "eu-central-1", "object_storage", P, "inside the EEA"),
    ({"id": "data-location-eu"}, "storeco", "de-fra", "compute", P, "inside the EEA"),
    # found without the capability too (cdk's aspect checks by provider/region only)
    ({"id": "data-location-eu"}, "storeco", "us-central-1", None, F, "is in US"),
    ({"id": "processing-location-declared"}, "storeco", "eu-central-1", "object_storage", P, "declared in DE"),
    ({"id": "processing-location-declared"}, "storeco", "de-fra", "object_storage", F, "for object_storage"),
    ({"id": "data-location-eu"}, "storeco", "de-fra", "object_storage", U, "not in the catalog"),
    # Offer-scoped certification.
    ({"id": "certifications", "required": ["secnumcloud"]}, "offerco", "fr-par", "object_storage", P, "held"),
    ({"id": "certifications", "required": ["secnumcloud"]}, "offerco", "fr-par", "compute", U, "cover offerings Trusted Storage, not compute"),
    ({"id": "certifications", "required": ["secnumcloud"]}, "offerco", "fr-par", None, U, "not an unnamed capability"),
    # a capability-scoped fact outranks the provider-wide one
    ({"id": "certifications", "required": ["bsi_c5"]}, "offerco", "fr-par", "object_storage", P, "c5-storage"),
    ({"id": "certifications", "required": ["bsi_c5"]}, "offerco", "fr-par", "compute", F, "not held"),
    # Region-specific contracting entity.
    ({"id": "headquarters-eu"}, "groupco", "fr-par", "compute", P, "headquartered in FR"),
    ({"id": "headquarters-eu"}, "groupco", "ch-gva", "compute", F, "GroupCo Suisse SA, headquartered in CH"),
    ({"id": "headquarters-eu"}, "groupco", "ca-bhs", "compute", U, "unverified"),
    ({"id": "no-non-eu-control"}, "groupco", "fr-par", "compute", P, "groupco is not controlled"),
    ({"id": "no-non-eu-control"}, "groupco", "us-ash", "compute", F, "GroupCo US Inc. is controlled"),
    ({"id": "no-non-eu-control"}, "groupco", "ch-gva", "compute", U, "no non_eu_control fact"),
    # Third-country transfers, P2.2.3: whether and to which extent.
    ({"id": "third-country-transfers-disclosed"}, "storeco", "de-fra", "compute", P, "no third-country transfers"),
    ({"id": "third-country-transfers-disclosed"}, "groupco", "fr-par", "compute", P, "support staff"),
    ({"id": "third-country-transfers-disclosed"}, "offerco", "fr-par", "compute", F, "not to which extent"),
    ({"id": "third-country-transfers-disclosed"}, "quietco", "fi-hel", "compute", U, "unverified"),
    ({"id": "third-country-transfers-disclosed"}, "groupco", "fr-par", "compute", P, "as of 2026-01-01"),
    ({"id": "third-country-transfers-disclosed", "allowed_countries": ["CH"]}, "groupco", "fr-par", "compute", F, "does not allow"),
    # P2.2.4: the countries and the Chapter V safeguards.
    ({"id": "third-country-transfers-safeguarded"}, "storeco", "de-fra", "compute", P, "no third-country"),
    ({"id": "third-country-transfers-safeguarded"}, "groupco", "fr-par", "compute", F, "without a stated Chapter V safeguard"),
    ({"id": "third-country-transfers-safeguarded"}, "licenseco", "fr-par", "compute", P, "standard-contractual-clauses"),
    ({"id": "third-country-transfers-safeguarded"}, "offerco", "fr-par", "compute", U, "does not list the third countries"),
    ({"id": "third-country-transfers-safeguarded", "allowed_countries": ["CH"]}, "licenseco", "fr-par", "compute", F, "does not allow"),
    # Technology supplier: a qualified provider on a non-EU vendor's stack is told apart.
    ({"id": "technology-supplier-eu"}, "licenseco", "fr-par", "compute", F, "Hyperscaler Inc. (US)"),
    ({"id": "technology-supplier-eu"}, "groupco", "fr-par", "compute", P, "inside the EEA"),
    ({"id": "technology-supplier-eu"}, "storeco", "de-fra", "compute", U, "no 'technology_supplier_country'"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("rule", "provider", "region", "capability", "expected", "words"),
    CASES,
    ids=[f"{c[0]['id']}-{c[1]}-{c[2]}-{c[3]}-{c[4].value}" for c in CASES],
)
def test_rule_reads_the_fact_that_applies_to_the_placement(
    catalog: Catalog,
    rule: dict[str, object],
    provider: str,
    region: str,
    capability: str | None,
    expected: Outcome,
    words: str,
) -> None:
    policy = Policy.model_validate({"rules": [rule]})
    (finding,) = policy.check_placement(catalog, provider, region, capability).findings
    assert finding.outcome is expected, finding.message
    assert words in finding.message


def test_placement_puts_a_bucket_in_a_storage_region_and_never_in_a_us_one(
    catalog: Catalog,
) -> None:
    policy = Policy.build(allowed_providers=["storeco"])
    placer = Placer(catalog, policy, workload="w")
    bucket = placer.place(ComponentRequest("bucket", "object_storage"))
    server = placer.place(ComponentRequest("server", "compute"))
    assert (bucket.provider, bucket.region, bucket.country) == ("storeco", "eu-central-1", "DE")
    assert (server.region, server.country) == ("de-fra", "DE")
    refused = {c.region: c for c in bucket.candidates if c.provider == "storeco"}
    assert set(refused) == {"eu-central-1", "us-central-1"}
    assert refused["us-central-1"].country == "US"
    assert any(r.rule == "data-location-eu" for r in refused["us-central-1"].reasons)


def test_provider_api_names_the_storage_region_and_its_endpoint(catalog: Catalog) -> None:
    storeco = catalog.provider("storeco")
    assert storeco.offers("object_storage", "us-central-1")
    assert not storeco.offers("object_storage", "de-fra")
    assert storeco.offers("compute", "de-fra")
    assert storeco.region_api_name("eu-central-1") == "eu-central-1"
    assert storeco.s3_endpoint_for("us-central-1") == "https://s3.us-central-1.storeco.example"
    assert storeco.regions_for("object_storage")["us-central-1"].country == "US"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"regions": ["de-fra"]},
            "give regions (a subset of the provider's) or own_regions, not both",
        ),
        ({"own_regions": {"x": {"country": "XX"}}}, "unknown ISO 3166-1 alpha-2 country code"),
    ],
)
def test_bad_storage_regions_are_refused(
    tmp_path: Path, change: dict[str, object], message: str
) -> None:
    import yaml

    raw = yaml.safe_load((DATA / "catalog.yaml").read_text())
    raw["providers"]["storeco"]["capabilities"]["object_storage"].update(change)
    for folder in ("object_storage/example", "compute/example"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "main.tf").write_text("# module\n")
    (tmp_path / "catalog.yaml").write_text(yaml.safe_dump(raw))
    with pytest.raises(CatalogError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_catalog(tmp_path / "catalog.yaml")


def test_a_scoped_fact_without_a_scope_or_with_a_wrong_value_is_refused(tmp_path: Path) -> None:
    import yaml

    raw = yaml.safe_load((DATA / "catalog.yaml").read_text())
    scoped = raw["providers"]["offerco"]["facts"]["scoped"]
    for folder in ("object_storage/example", "compute/example"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "main.tf").write_text("# module\n")
    file = tmp_path / "catalog.yaml"
    for bad, message in (
        ({**scoped[0], "scope": {}}, "needs a scope"),
        ({**scoped[0], "value": "yes please"}, "secnumcloud"),
        ({**scoped[0], "fact": "is_nice"}, "unknown fact 'is_nice'"),
        ({**scoped[0], "scope": {"regions": ["atlantis"]}}, "scope region 'atlantis'"),
    ):
        raw["providers"]["offerco"]["facts"]["scoped"] = [bad]
        file.write_text(yaml.safe_dump(raw))
        with pytest.raises(CatalogError, match=message):
            load_catalog(file)


@pytest.mark.slow
def test_policy_check_judges_a_bucket_by_its_storage_region_in_a_real_plan(
    tmp_path: Path, provider_mirror: Path
) -> None:
    """Real terraform plans two aws_s3_bucket resources at StoreCo's S3 endpoints (hashicorp/aws,
    as EU providers document for their S3-compatible storage): the US one fails
    data-location-eu, the EU one passes processing-location-declared although it is no compute
    region."""

    def block(region: str, alias: str) -> dict[str, object]:
        config = aws_provider_config(f"https://s3.{region}.storeco.example", region, alias=alias)
        config["endpoints"] = [{"s3": f"https://s3.{region}.storeco.example"}]
        return config

    config = {
        "terraform": {
            "required_providers": {"aws": {"source": "hashicorp/aws", "version": ">= 5.0, < 6.0"}}
        },
        "provider": {"aws": [block("eu-central-1", "eu"), block("us-central-1", "us")]},
        "resource": {
            "aws_s3_bucket": {
                "eu": {"bucket": "v2-eu", "provider": "aws.eu"},
                "us": {"bucket": "v2-us", "provider": "aws.us"},
            }
        },
    }
    (tmp_path / "main.tf.json").write_text(json.dumps(config))
    tf = Terraform(tmp_path, env=SANDBOX_CREDENTIALS)
    tf.init()
    tf.plan(out=tmp_path / "plan.bin")
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(tf.show_json(tmp_path / "plan.bin")))
    out = tmp_path / "reports"
    with pytest.raises(SystemExit) as exited:
        main(
            ["policy", "check", str(plan), "--catalog", str(DATA / "catalog.yaml"),
             "--format", "json", "--out", str(out)]
        )  # fmt: skip
    assert exited.value.code == 2
    report = PolicyReport.model_validate_json((out / "policy.json").read_text())
    by_address = {r.address: r for r in report.resources}
    eu, us = by_address["aws_s3_bucket.eu"], by_address["aws_s3_bucket.us"]
    assert (eu.provider, eu.region, eu.country, eu.outcome) == ("storeco", "eu-central-1", "DE", P)
    assert (us.provider, us.region, us.country, us.outcome) == ("storeco", "us-central-1", "US", F)
    assert {f.rule_id: f.outcome for f in eu.findings}["processing-location-declared"] is P
