"""Policies as YAML files and presets: loading, round trips, and clear errors for bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from fedstack.catalog import Catalog
from fedstack.policy import PRESETS, RULE_TYPES, Outcome, PolicyError, load_policy


def test_every_preset_loads_by_name_and_round_trips_through_yaml(tmp_path: Path) -> None:
    assert {"eu-data-residency", "eu-sovereign", "gaia-x-level-3-like"} <= set(PRESETS)
    for name, preset in PRESETS.items():
        assert load_policy(name) is preset
        assert preset.description and preset.rules
        file = tmp_path / f"{name}.yaml"
        file.write_text(preset.to_yaml())
        assert load_policy(file) == preset


def test_eu_sovereign_preset_checks_location_headquarters_and_control(
    sandbox_catalog: Catalog,
) -> None:
    preset = load_policy("eu-sovereign")
    assert {r.id for r in preset.rules} >= {
        "data-location-eu",
        "headquarters-eu",
        "no-non-eu-control",
    }
    assert preset.check_placement(sandbox_catalog, "sandbox-fr", "fr-par").outcome is Outcome.PASS
    assert preset.check_placement(sandbox_catalog, "sandbox-fr", "ca-bhs").outcome is Outcome.FAIL


def test_policy_file_with_every_rule_loads_and_takes_its_name_from_the_file(tmp_path: Path) -> None:
    file = tmp_path / "house-rules.yaml"
    file.write_text(
        """
description: what our DPO signed off
rules:
  - id: data-location-eu
    area: eu
  - id: processing-location-declared
  - id: third-country-transfers-disclosed
    allowed_countries: [CH]
  - id: third-country-transfers-safeguarded
    allowed_countries: [CH]
  - id: headquarters-eu
  - id: no-non-eu-control
  - id: technology-supplier-eu
  - id: certifications
    required: [secnumcloud, bsi_c5]
  - id: gaia-x-label-min
    level: level-1
  - id: providers-allowed
    providers: [sandbox-fr]
  - id: providers-denied
    providers: [sandbox-nl]
  - id: countries-allowed
    countries: [FR, DE]
  - id: countries-denied
    countries: [US]
"""
    )
    policy = load_policy(file)
    assert policy.name == "house-rules"
    assert [r.id for r in policy.rules] == [t.model_fields["id"].default for t in RULE_TYPES]
    assert policy.rule("data-location-eu").parameters() == {"area": "eu"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("rules: [\n  - id: x\n", "not valid YAML"),
        ("- id: data-location-eu\n", "a mapping with a 'rules' list"),
        (
            "rules:\n  - id: data-in-eu\n",
            "rules.0: unknown rule id 'data-in-eu'; known: data-location-eu",
        ),
        ("rules:\n  - area: eu\n", "rules.0: a rule needs an 'id'"),
        (
            "rules:\n  - id: data-location-eu\n    area: world\n",
            "rules.0(data-location-eu).area: Input should be 'eu' or 'eea'",
        ),
        (
            "rules:\n  - id: countries-denied\n    countries: [XX]\n",
            "rules.0(countries-denied).countries: unknown ISO 3166-1 alpha-2 country code 'XX'",
        ),
        ("rules:\n  - id: gaia-x-label-min\n", "rules.0(gaia-x-label-min).level: Field required"),
        (
            "rules:\n  - id: gaia-x-label-min\n    level: gold\n",
            "rules.0(gaia-x-label-min).level: Input should be 'standard-compliance'",
        ),
        (
            "rules:\n  - id: certifications\n    required: [iso27001]\n",
            "rules.0(certifications).required.0",
        ),
        (
            "rules:\n  - id: headquarters-eu\n    areas: eu\n",
            "rules.0(headquarters-eu).areas: Extra inputs are not permitted",
        ),
        ("rules: []\nowner: me\n", "owner: Extra inputs are not permitted"),
    ],
    ids=[
        "not-yaml",
        "not-a-mapping",
        "unknown-rule",
        "rule-without-id",
        "bad-area",
        "bad-country",
        "missing-parameter",
        "unknown-level",
        "unknown-certification",
        "misspelt-parameter",
        "unknown-top-level-key",
    ],
)
def test_bad_policy_file_is_one_error_naming_file_and_key(
    tmp_path: Path, body: str, message: str
) -> None:
    file = tmp_path / "bad.yaml"
    file.write_text(body)
    with pytest.raises(PolicyError) as caught:
        load_policy(file)
    text = str(caught.value)
    assert text.startswith(f"{file}: ")
    assert message in text
    assert "\n" not in text


def test_unknown_preset_name_lists_the_presets(tmp_path: Path) -> None:
    with pytest.raises(PolicyError, match="neither a preset .*eu-sovereign.* nor a policy file"):
        load_policy("eu-sovreign")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"min_gaia_x_level": "gold"},
            "Policy.build: rules.2(gaia-x-label-min).level: Input should be",
        ),
        ({"certifications": ["ISO 27001"]}, "rules.2(certifications).required.0: Input should be"),
        ({"denied_countries": ["XX"]}, "unknown ISO 3166-1 alpha-2 country code 'XX'"),
        ({"area": "world"}, "rules.0(data-location-eu).area"),
    ],
)
def test_build_with_a_bad_value_is_a_policy_error(kwargs: dict[str, object], message: str) -> None:
    from fedstack.policy import Policy

    with pytest.raises(PolicyError) as caught:
        Policy.build(**kwargs)  # type: ignore[arg-type]
    assert message in str(caught.value)
