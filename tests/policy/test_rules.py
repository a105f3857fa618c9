"""Each rule has a pass, a fail and an unknown case, checked through Policy.check_placement.

The providers come from tests/policy/data/catalog-rules.yaml (loaded by the real catalog loader)
and from the shipped catalog's sandbox providers.
"""

from __future__ import annotations

import datetime as dt

import pytest

from fedstack.catalog import Catalog, Fact, Facts, Transfers
from fedstack.policy import Outcome, Policy, Subject

P, F, U = Outcome.PASS, Outcome.FAIL, Outcome.UNKNOWN

CASES = [
    # rule, provider, region, expected outcome, words the message must contain
    ({"id": "data-location-eu"}, "eu-good", "fr-par", P, "inside the EEA"),
    ({"id": "data-location-eu"}, "eu-good", "us-nyc", F, "is in US, outside the EEA"),
    ({"id": "data-location-eu"}, "eu-good", "atlantis", U, "not in the catalog"),
    ({"id": "data-location-eu"}, "eu-good", "no-osl", P, "inside the EEA"),
    ({"id": "data-location-eu", "area": "eu"}, "eu-good", "no-osl", F, "outside the EU"),
    ({"id": "headquarters-eu"}, "eu-good", "fr-par", P, "headquartered in FR"),
    ({"id": "headquarters-eu"}, "us-owned", "de-fra", F, "headquartered in US"),
    ({"id": "headquarters-eu"}, "nobody", "fr-par", U, "'nobody' is not in the catalog"),
    ({"id": "no-non-eu-control"}, "eu-good", "fr-par", P, "not controlled"),
    ({"id": "no-non-eu-control"}, "us-owned", "de-fra", F, "is controlled from outside"),
    ({"id": "no-non-eu-control"}, "unproven", "de-ber", U, "unverified"),
    ({"id": "processing-location-declared"}, "eu-good", "us-nyc", P, "declared in US"),
    ({"id": "processing-location-declared"}, "eu-good", "atlantis", F, "declares no region"),
    ({"id": "processing-location-declared"}, "nobody", "fr-par", U, "not in the catalog"),
    ({"id": "certifications", "required": ["secnumcloud"]}, "eu-good", "fr-par", P, "held"),
    ({"id": "certifications", "required": ["secnumcloud"]}, "us-owned", "de-fra", F, "not held"),
    ({"id": "certifications", "required": ["secnumcloud"]}, "unproven", "de-ber", U, "unverified"),
    ({"id": "certifications", "required": ["bsi_c5"]}, "us-owned", "de-fra", U, "no 'bsi_c5' fact"),
    # one certification missing and one refused: the refusal decides
    (
        {"id": "certifications", "required": ["secnumcloud", "bsi_c5"]},
        "us-owned",
        "de-fra",
        F,
        "unknown",
    ),
    ({"id": "gaia-x-label-min", "level": "level-2"}, "eu-good", "fr-par", P, "meets level-2"),
    ({"id": "gaia-x-label-min", "level": "level-2"}, "us-owned", "de-fra", F, "below level-2"),
    ({"id": "gaia-x-label-min", "level": "level-2"}, "unproven", "de-ber", U, "unverified"),
    ({"id": "providers-allowed", "providers": ["eu-good"]}, "eu-good", "fr-par", P, "allowed"),
    (
        {"id": "providers-allowed", "providers": ["eu-good"]},
        "us-owned",
        "de-fra",
        F,
        "not an allowed",
    ),
    ({"id": "providers-allowed", "providers": ["eu-good"]}, None, None, U, "could not be resolved"),
    ({"id": "providers-denied", "providers": ["us-owned"]}, "eu-good", "fr-par", P, "not a denied"),
    ({"id": "providers-denied", "providers": ["us-owned"]}, "us-owned", "de-fra", F, "denied"),
    ({"id": "providers-denied", "providers": ["us-owned"]}, None, None, U, "could not be resolved"),
    ({"id": "countries-allowed", "countries": ["FR"]}, "eu-good", "fr-par", P, "allowed country"),
    ({"id": "countries-allowed", "countries": ["FR"]}, "us-owned", "de-fra", F, "not an allowed"),
    ({"id": "countries-allowed", "countries": ["FR"]}, "eu-good", None, U, "region could not"),
    ({"id": "countries-denied", "countries": ["US"]}, "eu-good", "fr-par", P, "not a denied"),
    ({"id": "countries-denied", "countries": ["US"]}, "eu-good", "us-nyc", F, "a denied country"),
    (
        {"id": "countries-denied", "countries": ["US"]},
        "eu-good",
        "atlantis",
        U,
        "not in the catalog",
    ),
]


@pytest.mark.parametrize(
    ("rule", "provider", "region", "expected", "words"),
    CASES,
    ids=[f"{c[0]['id']}-{c[1]}-{c[2]}-{c[3].value}" for c in CASES],
)
def test_rule_outcome_and_message_say_why(
    rules_catalog: Catalog,
    rule: dict[str, object],
    provider: str | None,
    region: str | None,
    expected: Outcome,
    words: str,
) -> None:
    policy = Policy.model_validate({"rules": [rule]})
    check = policy.check_placement(rules_catalog, provider=provider, region=region)
    (finding,) = check.findings
    assert (finding.rule_id, finding.outcome) == (rule["id"], expected), finding.message
    assert words in finding.message
    assert finding.criterion == policy.rules[0].criterion
    assert check.outcome is expected


def _with_transfers(catalog: Catalog, countries: list[str], unverified: bool = False) -> Subject:
    provider = catalog.providers["eu-good"]
    fact = Fact[Transfers](
        value=Transfers(transfers=bool(countries), extent="backups", countries=countries),
        source="https://example.org/eu-good/dpa",
        as_of=dt.date(2026, 1, 1),
        unverified=unverified,
    )
    facts = Facts(**{**dict(provider.facts), "third_country_transfers": fact})
    return Subject(
        "eu-good",
        "fr-par",
        provider.model_copy(update={"facts": facts}),
        provider.regions["fr-par"],
    )


@pytest.mark.parametrize(
    ("countries", "unverified", "allowed", "expected"),
    [
        ([], False, [], P),
        (["CH"], False, ["CH"], P),
        (["NO"], False, [], P),  # inside the EEA: not a third country
        (["US", "CH"], False, ["CH"], F),
        (["US"], True, [], U),
    ],
)
def test_third_country_transfers_rule_reads_the_disclosed_list(
    rules_catalog: Catalog,
    countries: list[str],
    unverified: bool,
    allowed: list[str],
    expected: Outcome,
) -> None:
    """A provider object built with the fact, as the catalog loader would build it."""
    policy = Policy.model_validate(
        {"rules": [{"id": "third-country-transfers-disclosed", "allowed_countries": allowed}]}
    )
    check = policy.check_subject(_with_transfers(rules_catalog, countries, unverified))
    assert check.outcome is expected, check.explain()


def test_third_country_transfers_is_unknown_for_a_provider_without_the_fact(
    rules_catalog: Catalog,
) -> None:
    policy = Policy.model_validate({"rules": [{"id": "third-country-transfers-disclosed"}]})
    check = policy.check_placement(rules_catalog, "eu-good", "fr-par")
    assert check.outcome is U
    assert "no 'third_country_transfers' fact" in check.findings[0].message


@pytest.mark.parametrize(
    ("provider", "region", "expected"),
    [
        ("sandbox-fr", "fr-par", P),  # level-2, SecNumCloud, in FR
        ("sandbox-de", "de-fra", F),  # level-1 is below level-2
        ("sandbox-nl", "nl-ams", U),  # its standard-compliance label is unverified
        ("sandbox-de", "ch-zrh", F),  # outside the EEA
    ],
)
def test_sandbox_providers_exercise_each_outcome(
    sandbox_catalog: Catalog, provider: str, region: str, expected: Outcome
) -> None:
    policy = Policy.build(min_gaia_x_level="level-2")
    assert policy.check_placement(sandbox_catalog, provider, region).outcome is expected


def test_placement_outcome_is_the_worst_finding_and_failures_come_first(
    rules_catalog: Catalog,
) -> None:
    policy = Policy.build(eu_headquarters=True, no_non_eu_control=True, min_gaia_x_level="level-2")
    check = policy.check_placement(rules_catalog, "unproven", "de-ber")
    assert [f.outcome for f in check.findings] == [P, P, P, U, U]
    assert check.outcome is U and not check.passed
    check = policy.check_placement(rules_catalog, "us-owned", "de-fra")
    assert check.outcome is F
    assert [f.rule_id for f in check.failures()] == [
        "headquarters-eu",
        "no-non-eu-control",
        "gaia-x-label-min",
    ]


def test_build_maps_keywords_to_rules_with_parameters() -> None:
    policy = Policy.build(
        eu_only_locations=True,
        eu_headquarters=True,
        no_non_eu_control=True,
        min_gaia_x_level="level-3",
        certifications=("SecNumCloud", "BSI C5"),
        allowed_providers=["a"],
        denied_providers=["b"],
        allowed_countries=["fr"],
        denied_countries=["us"],
    )
    assert [(r.id, r.parameters()) for r in policy.rules] == [
        ("data-location-eu", {"area": "eea"}),
        ("processing-location-declared", {}),
        ("headquarters-eu", {"area": "eea"}),
        ("no-non-eu-control", {}),
        ("gaia-x-label-min", {"level": "level-3"}),
        ("certifications", {"required": ["secnumcloud", "bsi_c5"]}),
        ("providers-allowed", {"providers": ["a"]}),
        ("providers-denied", {"providers": ["b"]}),
        ("countries-allowed", {"countries": ["FR"]}),
        ("countries-denied", {"countries": ["US"]}),
    ]
    assert Policy.build(eu_only_locations=False).rules == []


def test_check_catalog_covers_every_region_offering_the_capability(
    sandbox_catalog: Catalog,
) -> None:
    # The shipped catalog also lists cloud providers; this test is about the sandbox ones.
    sandbox = set(sandbox_catalog.sandbox_providers())
    checks = Policy.build(eu_headquarters=True).check_catalog(sandbox_catalog, "object_storage")
    verdicts = {(c.provider, c.region): c.outcome for c in checks if c.provider in sandbox}
    assert verdicts == {
        ("sandbox-fr", "fr-par"): P,
        ("sandbox-fr", "ca-bhs"): F,
        ("sandbox-de", "de-fra"): P,
        ("sandbox-de", "ch-zrh"): F,
        ("sandbox-nl", "nl-ams"): P,
        ("sandbox-nl", "uk-lon"): F,
        ("sandbox-it", "it-mil"): P,
        ("sandbox-it", "ch-lug"): F,
    }
    # The sandbox providers offer no Kubernetes (moto has none).
    unoffered = Policy.build().check_catalog(sandbox_catalog, "kubernetes")
    assert [c for c in unoffered if c.provider in sandbox] == []


def test_check_catalog_skips_regions_where_the_capability_is_not_offered() -> None:
    """Hetzner's object storage exists only in some of its regions (catalog `regions` list)."""
    from fedstack.catalog import load_catalog

    catalog = load_catalog()
    hetzner = catalog.provider("hetzner")
    offered = {
        c.region
        for c in Policy.build().check_catalog(catalog, "object_storage")
        if c.provider == "hetzner"
    }
    assert offered == set(hetzner.capabilities["object_storage"].regions or ())
    assert offered < set(hetzner.regions), "some Hetzner regions have no object storage"
