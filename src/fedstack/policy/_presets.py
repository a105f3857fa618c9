"""Built-in policies: common sovereignty requirements, ready to use by name."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from fedstack.policy._policy import Policy

__all__ = ["GAIA_X_COVERAGE", "PRESETS", "Coverage"]


@dataclass(frozen=True)
class Coverage:
    """What a preset that claims a Gaia-X level checks of that level's criteria, and what not."""

    level: str
    checked: tuple[str, ...]
    not_checked: tuple[str, ...]


# Criterion numbers as in the Gaia-X labelling criteria table (see docs/policy-rules.md for the
# source note). Level 1 is every P1 to P4 criterion; Level 2 adds P5.1.1; Level 3 adds P5.1.2
# to P5.1.7 and P5.2.1.
_BASE_UNCHECKED = (
    "P1.1.1-P1.1.5 (contractual governance: need the contract)",
    "P1.2.1-P1.2.4, P1.2.6-P1.2.10 (material requirements: need the contract or a declaration)",
    "P1.3.1-P1.3.5 (Gaia-X self-descriptions and identities)",
    "P2.1.1-P2.1.3, P2.2.1, P2.2.2, P2.2.5-P2.2.7, P2.3.1-P2.3.3 (data protection: need the DPA)",
    "P3.1.1-P3.1.20 (cybersecurity: need an assessment; the certifications rule reads "
    "SecNumCloud/C5 facts instead)",
    "P4.1.1, P4.1.2 (portability)",
)
GAIA_X_COVERAGE: Mapping[str, Coverage] = MappingProxyType(
    {
        "gaia-x-level-2-like": Coverage(
            level="Label Level 2",
            checked=(
                "P1.2.5 (location declared; at country level)",
                "P2.2.3 (whether and to which extent third-country transfers happen)",
                "P2.2.4 (third countries and Chapter V safeguards)",
                "P5.1.1 (an EU/EEA location is offered: data-location-eu refuses the others)",
            ),
            not_checked=_BASE_UNCHECKED,
        ),
        "gaia-x-level-3-like": Coverage(
            level="Label Level 3",
            checked=(
                "P1.2.5 (location declared; at country level)",
                "P2.2.3 (whether and to which extent third-country transfers happen)",
                "P2.2.4 (third countries and Chapter V safeguards)",
                "P5.1.1, P5.1.2 (EU/EEA location offered and used)",
                "P5.1.4 (headquarters of the contracting entity in the EU/EEA)",
                "P5.1.5 (no control from outside the EU/EEA)",
            ),
            not_checked=(
                *_BASE_UNCHECKED,
                "P5.1.3, P5.1.6, P5.1.7 (European Control criteria beyond what the catalog "
                "holds; their texts were not confirmed)",
                "P5.2.1 (access to Customer Data only as authorised or under EU/EEA law)",
            ),
        ),
    }
)
"""For each preset claiming a Gaia-X level: the criteria it checks and those it cannot."""


def _presets() -> dict[str, Policy]:
    presets = [
        Policy.build(
            name="eu-data-residency",
            description="Data stays in declared EU/EEA regions; who runs the provider is not checked.",
        ),
        Policy.build(
            name="eu-sovereign",
            description="EU/EEA locations, an EU/EEA-headquartered provider, no non-EU control.",
            eu_headquarters=True,
            no_non_eu_control=True,
        ),
        Policy.model_validate(
            {
                "name": "gaia-x-level-2-like",
                "description": "The location and transfer criteria of Gaia-X Label Level 2 "
                "(P1.2.5, P2.2.3, P2.2.4, P5.1.1), checked from the catalog; not a Gaia-X label, "
                "and most Level 2 criteria are not checked (see docs/policy-rules.md).",
                "rules": [
                    {"id": "data-location-eu"},
                    {"id": "processing-location-declared"},
                    {"id": "third-country-transfers-disclosed"},
                    {"id": "third-country-transfers-safeguarded"},
                ],
            }
        ),
        Policy.model_validate(
            {
                "name": "gaia-x-level-3-like",
                "description": "The location, transfer and European-control criteria of Gaia-X "
                "Label Level 3 that the catalog can show (P1.2.5, P2.2.3, P2.2.4, P5.1.1, P5.1.2, "
                "P5.1.4, P5.1.5); not a Gaia-X label: P5.1.3, P5.1.6, P5.1.7, P5.2.1 and the "
                "Level 1 criteria are not checked (see docs/policy-rules.md).",
                "rules": [
                    {"id": "data-location-eu"},
                    {"id": "processing-location-declared"},
                    {"id": "third-country-transfers-disclosed"},
                    {"id": "third-country-transfers-safeguarded"},
                    {"id": "headquarters-eu"},
                    {"id": "no-non-eu-control"},
                ],
            }
        ),
        Policy.build(
            name="gaia-x-label-2",
            description="A verified Gaia-X Label Level 2 or higher, and EU/EEA locations.",
            min_gaia_x_level="level-2",
        ),
        Policy.build(
            name="secnumcloud",
            description="An ANSSI SecNumCloud qualified provider, EU/EEA locations, no non-EU control.",
            certifications=["secnumcloud"],
            no_non_eu_control=True,
        ),
        Policy.build(
            name="bsi-c5",
            description="A BSI C5 attested provider and EU/EEA locations.",
            certifications=["bsi_c5"],
        ),
    ]
    return {p.name: p for p in presets}


PRESETS: Mapping[str, Policy] = MappingProxyType(_presets())
"""Built-in policies by name (`fedstack policy presets` lists them)."""
