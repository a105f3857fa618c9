"""Built-in policies: common sovereignty requirements, ready to use by name."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from fedstack.policy._policy import Policy

__all__ = ["PRESETS"]


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
                "description": "The location and transparency criteria of Gaia-X Label Level 2, "
                "checked from the catalog (not a Gaia-X label).",
                "rules": [
                    {"id": "data-location-eu"},
                    {"id": "processing-location-declared"},
                    {"id": "third-country-transfers-disclosed"},
                ],
            }
        ),
        Policy.model_validate(
            {
                "name": "gaia-x-level-3-like",
                "description": "The European-control criteria of Gaia-X Label Level 3, checked "
                "from the catalog (not a Gaia-X label).",
                "rules": [
                    {"id": "data-location-eu"},
                    {"id": "processing-location-declared"},
                    {"id": "third-country-transfers-disclosed"},
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
