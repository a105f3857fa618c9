"""What a rule looks at: one provider and one region, resolved against the catalog (or not)."""

from __future__ import annotations

from dataclasses import dataclass

from fedstack.catalog import Catalog, Fact, Provider, Region

__all__ = ["Subject", "read_fact"]


@dataclass(frozen=True)
class Subject:
    """A placement as far as it is known: names as given, catalog entries when they exist."""

    provider_name: str | None
    region_name: str | None
    provider: Provider | None = None
    region: Region | None = None

    @classmethod
    def resolve(cls, catalog: Catalog, provider: str | None, region: str | None) -> Subject:
        """Look the provider and region up in the catalog; what is not there stays None."""
        entry = catalog.providers.get(provider) if provider else None
        place = entry.regions.get(region) if entry is not None and region else None
        return cls(provider_name=provider, region_name=region, provider=entry, region=place)

    @property
    def country(self) -> str | None:
        """ISO country of the region, when the catalog knows the region."""
        return self.region.country if self.region is not None else None

    def describe(self) -> str:
        """`provider/region` for messages, with `?` for what is not known."""
        return f"{self.provider_name or '?'}/{self.region_name or '?'}"


def read_fact(provider: Provider, name: str) -> tuple[Fact[object] | None, str]:
    """The fact called `name` when it is usable, else None and why it is not (for messages).

    Read with getattr so a fact the catalog schema does not carry yet reads as missing.
    """
    fact = getattr(provider.facts, name, None)
    if fact is None:
        return None, f"the catalog has no {name!r} fact for {provider.display_name}"
    if fact.unverified:
        return None, (
            f"the catalog's {name!r} fact for {provider.display_name} is unverified "
            f"(source {fact.source}, as of {fact.as_of})"
        )
    return fact, ""
