"""Where a stack runs, in catalog terms: provider, region and country.

Several catalog providers share one Terraform provider (the sandboxes all use hashicorp/aws),
so a resource alone cannot say which provider it lives at: stack metadata says so, and a
resource's `region` attribute is the fallback. Pure Python: no web framework, no database.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from fedstack.bridge._errors import BadRequest

from fedstack.catalog import Catalog, load_catalog

__all__ = ["Placement", "catalog", "placement_of_region", "placement_of_stack"]


@dataclass(frozen=True)
class Placement:
    """A catalog provider and region (each None when unknown) and the region's ISO country."""

    provider: str | None
    region: str | None
    country: str | None


@lru_cache(maxsize=1)
def catalog() -> Catalog:
    """The provider catalog, loaded once per process."""
    return load_catalog()


def placement_of_stack(provider: str, region: str) -> Placement:
    """Check stack metadata against the catalog; BadRequest names what is unknown."""
    entry = catalog().providers.get(provider)
    if entry is None:
        known = ", ".join(sorted(catalog().providers))
        raise BadRequest(f"unknown provider {provider!r}; the catalog lists {known}")
    found = entry.regions.get(region)
    if found is None:
        raise BadRequest(
            f"provider {provider!r} has no region {region!r}; it has {', '.join(sorted(entry.regions))}"
        )
    return Placement(provider, region, found.country)


def placement_of_region(region: str | None) -> Placement:
    """Guess a placement from a resource's `region` (catalog name or API name); unknown parts stay None."""
    if not region:
        return Placement(None, None, None)
    matches = _regions_by_name().get(region, [])
    if len(matches) == 1:
        return matches[0]
    countries = {m.country for m in matches}
    names = {m.region for m in matches}
    return Placement(
        None,
        names.pop() if len(names) == 1 else region,
        countries.pop() if len(countries) == 1 else None,
    )


@lru_cache(maxsize=1)
def _regions_by_name() -> dict[str, list[Placement]]:
    table: dict[str, list[Placement]] = {}
    for provider_name, provider in catalog().providers.items():
        for region_name, region in provider.regions.items():
            placement = Placement(provider_name, region_name, region.country)
            for key in {region_name, region.api_region or region_name}:
                table.setdefault(key, []).append(placement)
    return table
