"""Where a stack runs, in catalog terms: the contracts' Placement and region rule, for the store.

Several catalog providers share one Terraform provider (the sandboxes all use hashicorp/aws),
so a resource alone cannot say which provider it lives at: stack metadata says so, and a
resource's `region` attribute is the fallback (`fedstack.contracts.guess_location`, the rule
the drift engine uses too). Pure Python: no web framework, no database.
"""

from __future__ import annotations

from functools import lru_cache

from fedstack.bridge._errors import BadRequest

from fedstack.catalog import Catalog, load_catalog
from fedstack.contracts import ContractError, Location, guess_location, placement_of

__all__ = ["Placement", "catalog", "placement_of_region", "placement_of_stack"]

Placement = Location
"""A provider, region and country as the inventory stores them (each None when unknown)."""


@lru_cache(maxsize=1)
def catalog() -> Catalog:
    """The provider catalog, loaded once per process."""
    return load_catalog()


def placement_of_stack(provider: str, region: str) -> Location:
    """Check stack metadata against the catalog; BadRequest names what is unknown."""
    try:
        found = placement_of(catalog(), provider, region)
    except ContractError as exc:
        raise BadRequest(str(exc)) from None
    return Location(found.provider, found.region, found.country)


@lru_cache(maxsize=4096)
def placement_of_region(region: str | None) -> Location:
    """Guess a placement from a resource's `region` (catalog name or API name); unknown parts stay None."""
    return guess_location(catalog(), region)
