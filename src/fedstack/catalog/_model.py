"""The catalog schema: providers, their regions (with ISO countries) and the modules per capability."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from fedstack.catalog._countries import is_country
from fedstack.errors import CatalogError

__all__ = [
    "CAPABILITIES",
    "FACT_NAMES",
    "GAIA_X_LEVELS",
    "SAFEGUARDS",
    "SIZES",
    "Capability",
    "Catalog",
    "Entity",
    "Fact",
    "Facts",
    "Provider",
    "Region",
    "Scope",
    "ScopedFact",
    "Transfers",
]

CAPABILITIES = ("object_storage", "network", "compute", "kubernetes", "dns_record")
"""Every capability a workload can ask for; each has one module interface."""

SIZES = ("xs", "s", "m", "l", "xl")
"""Compute size classes; each provider maps them to its own flavours."""

GAIA_X_LEVELS = ("none", "standard-compliance", "level-1", "level-2", "level-3")
"""Gaia-X compliance levels, weakest first (Standard Compliance, then Label Levels 1 to 3)."""

SAFEGUARDS = (
    "adequacy-decision",
    "standard-contractual-clauses",
    "binding-corporate-rules",
    "derogation",
)
"""The GDPR Chapter V grounds a transfer to a third country can rest on (Art. 45, 46, 47, 49)."""

_NAME = r"^[a-z0-9][a-z0-9-]{0,62}$"
_SOURCE = re.compile(r"^(https?://\S+|sandbox:\S+)$")
T = TypeVar("T")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _country(value: str) -> str:
    if not is_country(value):
        raise ValueError(f"unknown ISO 3166-1 alpha-2 country code {value!r}")
    return value


class Scope(_Strict):
    """What a fact covers; an empty list does not narrow, so an empty scope is provider-wide.

    Certifications and labels qualify services, not companies: a SecNumCloud qualification
    covers named offerings, a Gaia-X label one service offering.
    """

    offerings: list[str] = Field(
        default_factory=list, description="Offering names (a capability's `offering`)"
    )
    regions: list[str] = Field(default_factory=list, description="Region names")
    capabilities: list[str] = Field(default_factory=list, description="Capability names")

    @property
    def provider_wide(self) -> bool:
        """True when nothing narrows the scope."""
        return not (self.offerings or self.regions or self.capabilities)

    def covers(self, *, capability: str | None, offering: str, region: str | None) -> bool:
        """True when a placement of `capability` (sold as `offering`) in `region` is in scope.

        A narrowed part of the scope covers a placement only when the placement names it: a
        fact about offering X says nothing about a placement whose capability is unknown.
        """
        return (
            (not self.offerings or offering in self.offerings)
            and (not self.regions or region in self.regions)
            and (not self.capabilities or capability in self.capabilities)
        )

    def describe(self) -> str:
        """`provider-wide`, or the narrowing parts, for messages and `catalog show`."""
        if self.provider_wide:
            return "provider-wide"
        parts = [
            f"{label} {', '.join(items)}"
            for label, items in (
                ("offerings", self.offerings),
                ("regions", self.regions),
                ("capabilities", self.capabilities),
            )
            if items
        ]
        return "; ".join(parts)


def _legacy_verified(data: object) -> object:
    # A fact says `verified: true|false`; older catalogs said `unverified: true`. Both read into
    # one flag, `unverified`, which every reader already knows.
    if isinstance(data, dict) and "verified" in data:
        data = dict(data)
        if "unverified" in data and bool(data["unverified"]) == bool(data["verified"]):
            raise ValueError("verified and unverified contradict each other; keep verified")
        data["unverified"] = not data.pop("verified")
    return data


class Fact(_Strict, Generic[T]):
    """One sovereignty fact, with where it comes from, the date the source states and its scope.

    `verified: true` only when the source was read and says so; an unverified fact is unknown
    to every policy rule. `read_on` is when somebody read the source (`as_of` is the date the
    source itself gives).
    """

    value: T
    source: str = Field(description="URL of the source (sandbox providers: a sandbox: URI)")
    as_of: dt.date
    unverified: bool = False
    note: str = ""
    read_on: dt.date | None = Field(default=None, description="When the source was read")
    scope: Scope = Field(default_factory=Scope)

    _verified_key = model_validator(mode="before")(_legacy_verified)

    @field_validator("source")
    @classmethod
    def _source_is_a_reference(cls, value: str) -> str:
        if not _SOURCE.match(value):
            raise ValueError(f"source {value!r} must be an http(s) URL")
        return value

    @property
    def verified(self) -> bool:
        """True when the source was read and says so."""
        return not self.unverified


class Transfers(_Strict):
    """Whether, to which extent and where data leaves the EU/EEA (Gaia-X P2.2.3, P2.2.4).

    `transfers` and `extent` answer P2.2.3 (whether and to which extent); `countries` and
    `safeguards` answer P2.2.4 (the third countries and the GDPR Chapter V means).
    """

    transfers: bool = Field(description="Customer data may be transferred to third countries")
    extent: str = Field(default="", description="Which data, for which services, to whom")
    countries: list[str] | None = Field(
        default=None, description="The third countries (ISO codes); null when not disclosed"
    )
    safeguards: list[Literal[SAFEGUARDS]] = Field(  # type: ignore[valid-type]
        default_factory=list, description="GDPR Chapter V grounds the transfers rest on"
    )

    @field_validator("countries")
    @classmethod
    def _iso(cls, value: list[str] | None) -> list[str] | None:
        for code in value or []:
            _country(code)
        return value


class Entity(_Strict):
    """The legal entity that contracts for a region, where it is not the provider's own."""

    legal_name: str
    headquarters: str = Field(description="ISO 3166-1 alpha-2 code of its registered office")
    source: str
    as_of: dt.date
    unverified: bool = False
    note: str = ""
    read_on: dt.date | None = None
    non_eu_control: Fact[bool] | None = Field(
        default=None, description="Controlled from outside the EU/EEA (this entity's own fact)"
    )

    _verified_key = model_validator(mode="before")(_legacy_verified)
    _check_headquarters = field_validator("headquarters")(_country)

    @field_validator("source")
    @classmethod
    def _source_is_a_reference(cls, value: str) -> str:
        if not _SOURCE.match(value):
            raise ValueError(f"source {value!r} must be an http(s) URL")
        return value


class Facts(_Strict):
    """What a sovereignty policy needs to know about a provider; a missing fact is unknown."""

    non_eu_control: Fact[bool] | None = Field(
        default=None, description="Controlled (ownership or voting rights) from outside the EU/EEA"
    )
    gaia_x_member: Fact[bool] | None = None
    gaia_x_label: Fact[Literal[GAIA_X_LEVELS]] | None = None  # type: ignore[valid-type]
    secnumcloud: Fact[bool] | None = Field(default=None, description="ANSSI SecNumCloud qualified")
    bsi_c5: Fact[bool] | None = Field(default=None, description="BSI C5 attested")
    cispe_member: Fact[bool] | None = None
    third_country_transfers: Fact[Transfers] | None = Field(
        default=None, description="Whether, how far and where data leaves the EU/EEA"
    )
    technology_supplier: Fact[str] | None = Field(
        default=None,
        description="Who supplies the cloud technology the provider operates (a company name)",
    )
    technology_supplier_country: Fact[str] | None = Field(
        default=None, description="ISO country of the technology supplier's headquarters"
    )
    scoped: list[ScopedFact] = Field(
        default_factory=list, description="Facts that hold for some offerings or regions only"
    )

    def named(self, name: str) -> list[Fact[object]]:
        """Every fact called `name`: the provider-wide field first, then the scoped ones."""
        found: list[Fact[object]] = []
        top = getattr(self, name, None) if name in FACT_NAMES else None
        if isinstance(top, Fact):
            found.append(top)
        found += [f.as_fact() for f in self.scoped if f.fact == name]
        return found

    def all(self) -> list[tuple[str, Fact[object]]]:
        """(name, fact) of every fact, provider-wide and scoped."""
        return [(name, fact) for name in FACT_NAMES for fact in self.named(name)]


class ScopedFact(Fact[object]):
    """A fact that holds for a scope only: `fact` names it, the value has that fact's type."""

    fact: str = Field(description="The fact's name, one of the Facts fields")

    @model_validator(mode="after")
    def _typed(self) -> ScopedFact:
        if self.fact not in FACT_NAMES:
            raise ValueError(f"unknown fact {self.fact!r}; known: {', '.join(FACT_NAMES)}")
        if self.scope.provider_wide:
            raise ValueError(f"scoped fact {self.fact!r} needs a scope; else set facts.{self.fact}")
        Facts.model_validate({self.fact: self.as_fact().model_dump()})
        return self

    def as_fact(self) -> Fact[object]:
        """The same fact without its name."""
        return Fact[object].model_validate(self.model_dump(exclude={"fact"}))


class Region(_Strict):
    """One region of a provider, in one country."""

    country: str = Field(description="ISO 3166-1 alpha-2 code of the country the region is in")
    display_name: str = ""
    api_region: str | None = Field(
        default=None, description="The region name the provider's API expects, when it differs"
    )
    s3_endpoint: str | None = Field(
        default=None, description="This region's S3 endpoint, when the template does not fit"
    )
    entity: Entity | None = Field(
        default=None, description="The contracting entity, where it is not the provider's"
    )
    source: str | None = Field(default=None, description="Where the region and country are stated")

    _check_country = field_validator("country")(_country)


class Capability(_Strict):
    """The module that implements one capability for one provider, relative to modules/."""

    module: str
    regions: list[str] | None = Field(
        default=None, description="Regions offering the capability; null means every region"
    )
    own_regions: dict[str, Region] | None = Field(
        default=None,
        description="Regions of the capability's own (object storage regions that are not "
        "compute regions), each with its country; placement and policy use these instead",
    )
    offering: str = Field(default="", description="The provider's name of the service sold")

    @model_validator(mode="after")
    def _one_region_set(self) -> Capability:
        if self.regions is not None and self.own_regions is not None:
            raise ValueError("give regions (a subset of the provider's) or own_regions, not both")
        for name in self.own_regions or {}:
            if not _valid_name(name):
                raise ValueError(f"own_regions: region name {name!r} must match {_NAME}")
        return self


class Provider(_Strict):
    """A cloud provider (or a sandbox standing in for one)."""

    display_name: str
    legal_name: str
    headquarters: str = Field(description="ISO 3166-1 alpha-2 code of the headquarters' country")
    kind: Literal["sandbox", "cloud"] = "cloud"
    terraform_provider: str = Field(description="Source address, such as hashicorp/aws")
    regions: dict[str, Region] = Field(min_length=1)
    capabilities: dict[str, Capability] = Field(default_factory=dict)
    unsupported: dict[str, str] = Field(
        default_factory=dict, description="Capabilities the provider lacks, with the reason"
    )
    facts: Facts = Field(default_factory=Facts)
    sizes: dict[str, str] = Field(default_factory=dict, description="Size class -> flavour")
    images: dict[str, str] = Field(default_factory=dict, description="OS name -> image name")
    s3_endpoint: str | None = Field(
        default=None, description="S3 endpoint template; {region} is the region's API name"
    )
    via: dict[str, str] = Field(
        default_factory=dict,
        description="Other Terraform providers that reach this provider's services (such as "
        "terraform-provider-openstack/openstack), each with the URL prefix of the endpoint "
        "they are configured with (OpenStack auth_url) that tells this provider apart",
    )

    _check_headquarters = field_validator("headquarters")(_country)

    @field_validator("s3_endpoint")
    @classmethod
    def _known_placeholders(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                value.format(region="r", name="n")
            except (KeyError, IndexError, ValueError):
                raise ValueError(
                    f"template {value!r} may use only {{region}} and {{name}}"
                ) from None
        return value

    @field_validator("sizes")
    @classmethod
    def _known_sizes(cls, value: dict[str, str]) -> dict[str, str]:
        for name in value:
            if name not in SIZES:
                raise ValueError(f"unknown size class {name!r}; known: {', '.join(SIZES)}")
        return value

    @model_validator(mode="after")
    def _capabilities_consistent(self) -> Provider:
        for name in self.unsupported:
            if name not in CAPABILITIES:
                raise ValueError(f"unknown capability {name!r} in unsupported")
            if name in self.capabilities:
                raise ValueError(f"capability {name!r} is both offered and unsupported")
        for name, entry in self.capabilities.items():
            for region in entry.regions or []:
                if region not in self.regions:
                    raise ValueError(f"capabilities.{name}.regions: {region!r} is not a region")
            for region, place in (entry.own_regions or {}).items():
                if place.s3_endpoint and name != "object_storage":
                    raise ValueError(
                        f"capabilities.{name}.own_regions.{region}: only object storage has an "
                        "s3_endpoint"
                    )
        if self.kind != "sandbox":
            for fact_name, fact in self.facts.all():
                if fact.source.startswith("sandbox:"):
                    raise ValueError(f"facts.{fact_name}: only sandbox providers may cite sandbox:")
        for fact_name, fact in self.facts.all():
            known = set(self.all_region_names())
            for region in fact.scope.regions:
                if region not in known:
                    raise ValueError(f"facts.{fact_name}: scope region {region!r} is not a region")
            for capability in fact.scope.capabilities:
                if capability not in CAPABILITIES:
                    raise ValueError(f"facts.{fact_name}: unknown capability {capability!r}")
        return self

    def regions_for(self, capability: str) -> dict[str, Region]:
        """The regions where `capability` is offered: its own region set, or the provider's."""
        entry = self.capabilities.get(capability)
        if entry is None:
            return {}
        if entry.own_regions is not None:
            return dict(entry.own_regions)
        if entry.regions is None:
            return dict(self.regions)
        return {name: self.regions[name] for name in entry.regions}

    def region_entry(self, region: str, capability: str | None = None) -> Region | None:
        """The catalog entry of `region`: in the capability's own region set when it has one.

        Without a capability, a provider region first, then a region of a capability's own set.
        """
        if capability is not None and self._own(capability):
            return self.regions_for(capability).get(region)
        if capability is not None or region in self.regions:
            # A capability offered in some regions only still lives in the provider's regions.
            return self.regions.get(region)
        if region in self.regions:
            return self.regions[region]
        for entry in self.capabilities.values():
            if entry.own_regions and region in entry.own_regions:
                return entry.own_regions[region]
        return None

    def all_region_names(self) -> list[str]:
        """Provider regions, then the regions of capabilities' own sets, each name once."""
        names = dict.fromkeys(self.regions)
        for entry in self.capabilities.values():
            names.update(dict.fromkeys(entry.own_regions or {}))
        return list(names)

    def region_api_name(self, region: str, capability: str | None = None) -> str:
        """The name the provider's API uses for `region`."""
        entry = self.region_entry(region, capability)
        if entry is None:
            raise KeyError(region)
        return entry.api_region or region

    def s3_endpoint_for(self, region: str) -> str | None:
        """The S3 endpoint URL of `region`: its own, else from the template, when there is one.

        The template may use {region} (the region's API name) and {name} (the catalog name).
        Where object storage has regions of its own, only those have an endpoint.
        """
        own = self._own("object_storage")
        entry = self.region_entry(region, "object_storage" if own else None)
        if own and entry is None:
            return None
        if entry is not None and entry.s3_endpoint:
            return entry.s3_endpoint
        if self.s3_endpoint is None:
            return None
        api_name = self.region_api_name(region, "object_storage" if own else None)
        return self.s3_endpoint.format(region=api_name, name=region)

    def offers(self, capability: str, region: str) -> bool:
        """True when `capability` is offered in `region` (some capabilities skip regions)."""
        return region in self.regions_for(capability)

    def entity_for(self, region: str | None, capability: str | None = None) -> Entity | None:
        """The contracting entity of `region` when it differs from the provider's; else None."""
        entry = self.region_entry(region, capability) if region else None
        return entry.entity if entry is not None else None

    def offering_of(self, capability: str | None) -> str:
        """The offering name of `capability` (empty when unnamed or not offered)."""
        entry = self.capabilities.get(capability) if capability else None
        return entry.offering if entry is not None else ""

    def facts_for(
        self, name: str, *, capability: str | None = None, region: str | None = None
    ) -> tuple[Fact[object] | None, list[Fact[object]]]:
        """The fact called `name` that applies to a placement, and every fact of that name.

        The most specific scope that covers the placement wins (offerings, then regions, then
        capabilities narrow it); a provider-wide fact applies when no narrower one does.
        """
        every = self.facts.named(name)
        offering = self.offering_of(capability)
        covering = [
            f
            for f in every
            if f.scope.covers(capability=capability, offering=offering, region=region)
        ]

        def specificity(fact: Fact[object]) -> tuple[int, int, int]:
            scope = fact.scope
            return (bool(scope.offerings), bool(scope.regions), bool(scope.capabilities))

        best = max(covering, key=specificity) if covering else None
        return best, every

    def _own(self, capability: str) -> bool:
        entry = self.capabilities.get(capability)
        return entry is not None and entry.own_regions is not None

    @field_validator("regions")
    @classmethod
    def _region_names(cls, value: dict[str, Region]) -> dict[str, Region]:
        for name in value:
            if not _valid_name(name):
                raise ValueError(f"region name {name!r} must match {_NAME}")
        return value

    @field_validator("capabilities")
    @classmethod
    def _known_capabilities(cls, value: dict[str, Capability]) -> dict[str, Capability]:
        for name in value:
            if name not in CAPABILITIES:
                raise ValueError(f"unknown capability {name!r}; known: {', '.join(CAPABILITIES)}")
        return value


class Catalog(_Strict):
    """The whole provider catalog (modules/catalog.yaml) and where its modules live."""

    schema_version: Literal[1]
    providers: dict[str, Provider]
    modules_root: Path = Field(exclude=True)

    @field_validator("providers")
    @classmethod
    def _provider_names(cls, value: dict[str, Provider]) -> dict[str, Provider]:
        for name in value:
            if not _valid_name(name):
                raise ValueError(f"provider name {name!r} must match {_NAME}")
        return value

    def provider(self, name: str) -> Provider:
        """The provider called `name`, or CatalogError naming the known ones."""
        try:
            return self.providers[name]
        except KeyError:
            raise CatalogError(
                f"unknown provider {name!r}; the catalog lists {', '.join(sorted(self.providers))}"
            ) from None

    def module_path(self, provider: str, capability: str) -> Path:
        """Absolute path of the module implementing `capability` at `provider`."""
        entry = self.provider(provider).capabilities.get(capability)
        if entry is None:
            reason = self.provider(provider).unsupported.get(capability)
            because = f": {reason}" if reason else ""
            raise CatalogError(f"provider {provider!r} does not offer {capability!r}{because}")
        return self.modules_root / entry.module

    def sandbox_providers(self) -> list[str]:
        """Names of the sandbox providers, in catalog order."""
        return [name for name, p in self.providers.items() if p.kind == "sandbox"]


def _valid_name(name: str) -> bool:
    return re.match(_NAME, name) is not None


FACT_NAMES: tuple[str, ...] = tuple(n for n in Facts.model_fields if n != "scoped")
"""The names of every sovereignty fact the catalog can hold."""
Facts.model_rebuild()
