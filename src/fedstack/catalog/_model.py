"""The catalog schema: providers, their regions (with ISO countries) and the modules per capability."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from fedstack.catalog._countries import is_country

__all__ = ["Catalog", "Provider", "Region", "Capability", "CAPABILITIES"]

CAPABILITIES = ("object_storage", "network", "compute", "kubernetes", "dns_record")
"""Every capability a workload can ask for; each has one module interface."""

_NAME = r"^[a-z0-9][a-z0-9-]{0,62}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _country(value: str) -> str:
    if not is_country(value):
        raise ValueError(f"unknown ISO 3166-1 alpha-2 country code {value!r}")
    return value


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


class Provider(_Strict):
    """A cloud provider (or a sandbox standing in for one)."""

    display_name: str
    legal_name: str
    headquarters: str = Field(description="ISO 3166-1 alpha-2 code of the headquarters' country")
    kind: Literal["sandbox", "cloud"] = "cloud"
    terraform_provider: str = Field(description="Source address, such as hashicorp/aws")
    regions: dict[str, Region] = Field(min_length=1)
    capabilities: dict[str, Capability] = Field(default_factory=dict)

    _check_headquarters = field_validator("headquarters")(_country)

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
        """The provider called `name`, or KeyError naming the known ones."""
        try:
            return self.providers[name]
        except KeyError:
            raise KeyError(
                f"unknown provider {name!r}; the catalog lists {', '.join(sorted(self.providers))}"
            ) from None

    def module_path(self, provider: str, capability: str) -> Path:
        """Absolute path of the module implementing `capability` at `provider`."""
        entry = self.provider(provider).capabilities.get(capability)
        if entry is None:
            raise KeyError(f"provider {provider!r} does not offer {capability!r}")
        return self.modules_root / entry.module

    def sandbox_providers(self) -> list[str]:
        """Names of the sandbox providers, in catalog order."""
        return [name for name, p in self.providers.items() if p.kind == "sandbox"]


def _valid_name(name: str) -> bool:
    return re.match(_NAME, name) is not None
