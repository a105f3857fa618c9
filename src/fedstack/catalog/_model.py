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
    "GAIA_X_LEVELS",
    "SIZES",
    "Capability",
    "Catalog",
    "Fact",
    "Facts",
    "Provider",
    "Region",
]

CAPABILITIES = ("object_storage", "network", "compute", "kubernetes", "dns_record")
"""Every capability a workload can ask for; each has one module interface."""

SIZES = ("xs", "s", "m", "l", "xl")
"""Compute size classes; each provider maps them to its own flavours."""

GAIA_X_LEVELS = ("none", "standard-compliance", "level-1", "level-2", "level-3")
"""Gaia-X compliance levels, weakest first (Standard Compliance, then Label Levels 1 to 3)."""

_NAME = r"^[a-z0-9][a-z0-9-]{0,62}$"
_SOURCE = re.compile(r"^(https?://\S+|sandbox:\S+)$")
T = TypeVar("T")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _country(value: str) -> str:
    if not is_country(value):
        raise ValueError(f"unknown ISO 3166-1 alpha-2 country code {value!r}")
    return value


class Fact(_Strict, Generic[T]):
    """One sovereignty fact about a provider, with where it comes from and when it was read.

    `unverified` marks a fact for which no primary source was found: policies treat it as unknown.
    """

    value: T
    source: str = Field(description="URL of the source (sandbox providers: a sandbox: URI)")
    as_of: dt.date
    unverified: bool = False
    note: str = ""

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


class Region(_Strict):
    """One region of a provider, in one country."""

    country: str = Field(description="ISO 3166-1 alpha-2 code of the country the region is in")
    display_name: str = ""
    api_region: str | None = Field(
        default=None, description="The region name the provider's API expects, when it differs"
    )

    _check_country = field_validator("country")(_country)


class Capability(_Strict):
    """The module that implements one capability for one provider, relative to modules/."""

    module: str
    regions: list[str] | None = Field(
        default=None, description="Regions offering the capability; null means every region"
    )


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
        if self.kind != "sandbox":
            for fact_name in Facts.model_fields:
                fact = getattr(self.facts, fact_name)
                if fact is not None and fact.source.startswith("sandbox:"):
                    raise ValueError(f"facts.{fact_name}: only sandbox providers may cite sandbox:")
        return self

    def region_api_name(self, region: str) -> str:
        """The name the provider's API uses for `region`."""
        return self.regions[region].api_region or region

    def s3_endpoint_for(self, region: str) -> str | None:
        """The S3 endpoint URL of `region`, from the template, when the provider has one.

        The template may use {region} (the region's API name) and {name} (the catalog name).
        """
        if self.s3_endpoint is None:
            return None
        return self.s3_endpoint.format(region=self.region_api_name(region), name=region)

    def offers(self, capability: str, region: str) -> bool:
        """True when `capability` is offered in `region` (some capabilities skip regions)."""
        entry = self.capabilities.get(capability)
        return (
            entry is not None
            and region in self.regions
            and (entry.regions is None or region in entry.regions)
        )

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
