"""Where something runs in catalog terms, and the one rule that turns a region name into that.

A region name is a catalog region (`fr-par`) or a provider API region (`eu-west-3`); several
catalog providers can share one name (the sandboxes all speak the aws API), so a name places
something only when it matches exactly one catalog region. Within a known provider,
`match_region` also reads zones (`fr-par-1` in `fr-par`); the policy check uses it.
Pure data: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from fedstack.contracts.errors import ContractError

if TYPE_CHECKING:
    from fedstack.catalog import Catalog, Provider

__all__ = [
    "Location",
    "Placement",
    "guess_location",
    "match_region",
    "placement_for_region",
    "placement_of",
    "region_matches",
]


@dataclass(frozen=True)
class Placement:
    """A catalog provider and region, and the region's ISO 3166 country."""

    provider: str
    region: str
    country: str


@dataclass(frozen=True)
class Location:
    """What a region name alone says: each part None when the name does not settle it."""

    provider: str | None
    region: str | None
    country: str | None


def placement_of(catalog: Catalog, provider: str, region: str) -> Placement:
    """The placement at `provider`/`region`; ContractError names what the catalog lacks."""
    entry = catalog.providers.get(provider)
    if entry is None:
        known = ", ".join(sorted(catalog.providers))
        raise ContractError(f"unknown provider {provider!r}; the catalog lists {known}")
    found = entry.regions.get(region)
    if found is None:
        raise ContractError(
            f"provider {provider!r} has no region {region!r}; it has {', '.join(sorted(entry.regions))}"
        )
    return Placement(provider, region, found.country)


def region_matches(catalog: Catalog, name: str) -> list[Placement]:
    """Every catalog region called `name` (its catalog name or its API name), in catalog order."""
    return [
        Placement(provider_name, region_name, entry.country)
        for provider_name, provider in catalog.providers.items()
        for region_name, entry in provider.regions.items()
        if name in (region_name, entry.api_region or region_name)
    ]


def guess_location(catalog: Catalog, name: str | None) -> Location:
    """What `name` settles: all of it when one region matches, else the parts all matches share."""
    if not name:
        return Location(None, None, None)
    matches = region_matches(catalog, name)
    if len(matches) == 1:
        return Location(matches[0].provider, matches[0].region, matches[0].country)
    regions = {m.region for m in matches}
    countries = {m.country for m in matches}
    return Location(
        None,
        regions.pop() if len(regions) == 1 else name,
        countries.pop() if len(countries) == 1 else None,
    )


def placement_for_region(catalog: Catalog, name: str) -> Placement | None:
    """The one catalog region called `name`, or None when none or several are."""
    matches = region_matches(catalog, name)
    return matches[0] if len(matches) == 1 else None


def match_region(provider: Provider, value: str, capability: str | None = None) -> str | None:
    """The catalog region a region/location/zone value names, or None.

    Exact region or API name first; then a zone inside a region (`fr-par-1` in `fr-par`,
    `de/fra` style locations, `fsn1-dc14` in `fsn1`), by the longest matching prefix. With a
    `capability` that has regions of its own (object storage at IONOS), those are searched.
    """
    entry = provider.capabilities.get(capability) if capability else None
    regions = entry.own_regions if entry is not None and entry.own_regions else provider.regions
    wanted = value.strip().lower()
    for name, region in regions.items():
        if wanted in (name.lower(), (region.api_region or "").lower()):
            return name
    inside = [
        (len(known), name)
        for name, region in regions.items()
        for known in {name.lower(), (region.api_region or name).lower()}
        if wanted.startswith(known) and wanted[len(known) : len(known) + 1] in ("-", "/")
    ]
    return max(inside)[1] if inside else None
