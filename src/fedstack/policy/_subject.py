"""What a rule looks at: one provider and one region (of one capability), resolved against the catalog.

Pure Python: must not import cdktf, jsii or the web framework.
"""

from __future__ import annotations

from dataclasses import dataclass

from fedstack.catalog import Catalog, Entity, Fact, Provider, Region

__all__ = ["Subject", "read_fact"]


@dataclass(frozen=True)
class Subject:
    """A placement as far as it is known: names as given, catalog entries when they exist.

    `capability` selects the region set (object storage has regions of its own at some
    providers) and the scope of offering-bound facts; None means the provider's regions.
    """

    provider_name: str | None
    region_name: str | None
    provider: Provider | None = None
    region: Region | None = None
    capability: str | None = None

    @classmethod
    def resolve(
        cls,
        catalog: Catalog,
        provider: str | None,
        region: str | None,
        capability: str | None = None,
    ) -> Subject:
        """Look the provider and region up in the catalog; what is not there stays None."""
        entry = catalog.providers.get(provider) if provider else None
        place = entry.region_entry(region, capability) if entry is not None and region else None
        return cls(
            provider_name=provider,
            region_name=region,
            provider=entry,
            region=place,
            capability=capability,
        )

    @property
    def country(self) -> str | None:
        """ISO country of the region, when the catalog knows the region."""
        return self.region.country if self.region is not None else None

    @property
    def entity(self) -> Entity | None:
        """The region's own contracting entity, when it is not the provider's."""
        return self.region.entity if self.region is not None else None

    def describe(self) -> str:
        """`provider/region` for messages, with `?` for what is not known."""
        return f"{self.provider_name or '?'}/{self.region_name or '?'}"

    def fact(self, name: str) -> tuple[Fact[object] | None, str]:
        """The usable fact called `name` whose scope covers this placement, else None and why."""
        assert self.provider is not None
        fact, every = self.provider.facts_for(
            name, capability=self.capability, region=self.region_name
        )
        if fact is None and every:
            scopes = "; ".join(f.scope.describe() for f in every)
            what = self.capability or "an unnamed capability"
            return None, (
                f"the catalog's {name!r} facts for {self.provider.display_name} cover {scopes}, "
                f"not {what} in {self.region_name or '?'}"
            )
        return _usable(self.provider, name, fact)


def _usable(
    provider: Provider, name: str, fact: Fact[object] | None
) -> tuple[Fact[object] | None, str]:
    if fact is None:
        return None, f"the catalog has no {name!r} fact for {provider.display_name}"
    if fact.unverified:
        return None, (
            f"the catalog's {name!r} fact for {provider.display_name} is unverified "
            f"(source {fact.source}, as of {fact.as_of})"
        )
    return fact, ""


def read_fact(provider: Provider, name: str) -> tuple[Fact[object] | None, str]:
    """The provider-wide fact called `name` when it is usable, else None and why it is not.

    Read with getattr so a fact the catalog schema does not carry yet reads as missing.
    """
    return _usable(provider, name, getattr(provider.facts, name, None))
