"""ISO 3166-1 alpha-2 country codes and the EU/EEA membership sets a sovereignty policy needs."""

from __future__ import annotations

from functools import cache
from importlib import resources

__all__ = ["EEA", "EU", "is_country"]

EU = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)
"""The 27 member states of the European Union."""

EEA = EU | frozenset({"IS", "LI", "NO"})
"""The European Economic Area: the EU plus Iceland, Liechtenstein and Norway."""


@cache
def _codes() -> frozenset[str]:
    text = resources.files("fedstack.catalog").joinpath("iso3166_alpha2.txt").read_text()
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


def is_country(code: str) -> bool:
    """True for an assigned ISO 3166-1 alpha-2 code (upper case, such as "FR")."""
    return code in _codes()
