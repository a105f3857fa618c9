"""`fedstack catalog check`: what a data-protection officer would ask of the catalog.

The schema (loader), ISO codes, the modules' region tables, and the sources: every fact of a
cloud provider names a specific page (not a home page), the date the source states, and an
explicit `verified: true|false`. Facts whose date is more than a year old are listed as stale
(a warning, not a problem). Pure Python: must not import cdktf, jsii or the web framework.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from fedstack.catalog._countries import is_country
from fedstack.catalog._loader import load_catalog
from fedstack.catalog._model import FACT_NAMES, Catalog, Provider
from fedstack.errors import CatalogError

__all__ = ["Audit", "audit_catalog", "is_home_page"]

STALE_AFTER = dt.timedelta(days=365)
"""A fact whose source date is older than this is listed as stale."""

# Paths that are only a language or country switch: such a URL is still a home page.
_LANGUAGE_PATHS = {"en", "de", "fr", "it", "nl", "es", "en-gb", "en-us", "de-de", "fr-fr", "home"}


@dataclass
class Audit:
    """Problems (exit 1) and stale facts (listed) of one catalog file."""

    file: Path
    problems: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    facts: int = 0
    verified: int = 0

    @property
    def ok(self) -> bool:
        """True when there is no problem (stale facts are warnings)."""
        return not self.problems


def is_home_page(url: str) -> bool:
    """True for a site's front page (`https://example.eu/`, `.../en/`): it proves nothing."""
    if url.startswith("sandbox:"):
        return False
    parts = [p for p in urlsplit(url).path.split("/") if p]
    return not parts or (len(parts) == 1 and parts[0].lower() in _LANGUAGE_PATHS)


def audit_catalog(path: str | Path | None = None, *, today: dt.date | None = None) -> Audit:
    """Check the catalog file (default: the installed one); never raises for catalog mistakes."""
    from fedstack.catalog._loader import modules_root

    file = Path(path).resolve() if path else modules_root() / "catalog.yaml"
    audit = Audit(file)
    try:
        catalog = load_catalog(file)
    except CatalogError as exc:
        audit.problems.append(str(exc))
        return audit
    raw = yaml.safe_load(file.read_text()) or {}
    today = today or dt.date.today()
    for name, provider in catalog.providers.items():
        raw_provider = (raw.get("providers") or {}).get(name) or {}
        _sources(audit, name, provider, raw_provider, today)
        _countries(audit, name, provider)
    _tables(audit, catalog)
    return audit


def _sources(
    audit: Audit, name: str, provider: Provider, raw: dict[str, Any], today: dt.date
) -> None:
    where = f"{audit.file}: providers.{name}"
    raw_facts = raw.get("facts") or {}
    entries: list[tuple[str, Any, dict[str, Any]]] = []
    for fact_name in FACT_NAMES:
        fact = getattr(provider.facts, fact_name)
        if fact is not None:
            entries.append((f"facts.{fact_name}", fact, raw_facts.get(fact_name) or {}))
    for index, scoped in enumerate(provider.facts.scoped):
        raw_scoped = (raw_facts.get("scoped") or [{}] * (index + 1))[index]
        entries.append((f"facts.scoped[{index}] ({scoped.fact})", scoped, raw_scoped))
    for region_name, region in _every_region(provider):
        if region.entity is not None:
            raw_region = _raw_region(raw, region_name)
            raw_entity = raw_region.get("entity") or {}
            key = f"regions.{region_name}.entity"
            entries.append((key, region.entity, raw_entity))
            if region.entity.non_eu_control is not None:
                entries.append(
                    (
                        f"{key}.non_eu_control",
                        region.entity.non_eu_control,
                        raw_entity.get("non_eu_control") or {},
                    )
                )
    for key, fact, raw_fact in entries:
        audit.facts += 1
        audit.verified += 0 if fact.unverified else 1
        if provider.kind == "sandbox":
            continue
        if is_home_page(fact.source):
            audit.problems.append(
                f"{where}.{key}: source {fact.source} is a home page; cite the page that states it"
            )
        if "verified" not in raw_fact:
            audit.problems.append(
                f"{where}.{key}: say verified: true (the source was read and says so) or false"
            )
        if fact.as_of > today:
            audit.problems.append(f"{where}.{key}: as_of {fact.as_of} is in the future")
        elif today - fact.as_of > STALE_AFTER:
            audit.stale.append(
                f"{where}.{key}: as of {fact.as_of}, more than a year old; read {fact.source} again"
            )


def _every_region(provider: Provider) -> list[tuple[str, Any]]:
    found = list(provider.regions.items())
    for entry in provider.capabilities.values():
        found += list((entry.own_regions or {}).items())
    return found


def _raw_region(raw: dict[str, Any], region: str) -> dict[str, Any]:
    if region in (raw.get("regions") or {}):
        return raw["regions"][region] or {}
    for entry in (raw.get("capabilities") or {}).values():
        own = (entry or {}).get("own_regions") or {}
        if region in own:
            return own[region] or {}
    return {}


def _countries(audit: Audit, name: str, provider: Provider) -> None:
    for fact in provider.facts.named("technology_supplier_country"):
        if not is_country(str(fact.value)):
            audit.problems.append(
                f"{audit.file}: providers.{name}.facts.technology_supplier_country: "
                f"{fact.value!r} is not an ISO 3166-1 alpha-2 code"
            )


def _tables(audit: Audit, catalog: Catalog) -> None:
    from fedstack.catalog._contract import check_catalog_tables
    from fedstack.catalog._hcl import read_module

    audit.problems += check_catalog_tables(catalog)
    # A module that lists its regions (a validation or a local table) must know every region
    # the catalog places that capability in, or placement would pick one the module refuses.
    for name, provider in catalog.providers.items():
        for capability, entry in provider.capabilities.items():
            spec = read_module(catalog.modules_root / entry.module)
            table = spec.locals.get("storage_regions") if entry.own_regions else None
            if isinstance(table, dict):
                wanted = {
                    r: provider.region_api_name(r, capability) for r in entry.own_regions or {}
                }
                if table != wanted:
                    audit.problems.append(
                        f"{catalog.modules_root / entry.module}/main.tf: local.storage_regions "
                        f"{table!r} differs from providers.{name}.capabilities.{capability}."
                        f"own_regions {wanted!r}"
                    )
