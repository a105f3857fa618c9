"""docs/catalog.md and `fedstack catalog show`: the catalog as tables, rendered from the YAML."""

from __future__ import annotations

from typing import Any

from fedstack.catalog._model import Catalog, Fact, Provider

__all__ = ["catalog_markdown", "provider_facts", "provider_regions"]


def _value(value: object) -> str:
    if hasattr(value, "model_dump"):
        data = value.model_dump(exclude_defaults=True)  # type: ignore[attr-defined]
        return ", ".join(f"{k}={v}" for k, v in data.items())
    return str(value).lower() if isinstance(value, bool) else str(value)


def provider_facts(provider: Provider) -> list[dict[str, Any]]:
    """Every fact of a provider (provider-wide, scoped, region entities) as plain rows."""
    rows = [_fact_row(name, fact) for name, fact in provider.facts.all()]
    for region, entry in provider_regions(provider):
        entity = entry["entity"]
        if entity is not None:
            rows.append(
                {
                    "fact": "entity",
                    "value": f"{entity.legal_name} ({entity.headquarters})",
                    "scope": f"regions {region}",
                    "verified": not entity.unverified,
                    "source": entity.source,
                    "as_of": str(entity.as_of),
                    "read_on": str(entity.read_on or ""),
                    "note": entity.note,
                }
            )
            if entity.non_eu_control is not None:
                row = _fact_row("non_eu_control", entity.non_eu_control)
                row["scope"] = f"regions {region} (entity {entity.legal_name})"
                rows.append(row)
    return rows


def _fact_row(name: str, fact: Fact[object]) -> dict[str, Any]:
    return {
        "fact": name,
        "value": _value(fact.value),
        "scope": fact.scope.describe(),
        "verified": fact.verified,
        "source": fact.source,
        "as_of": str(fact.as_of),
        "read_on": str(fact.read_on or ""),
        "note": fact.note,
    }


def provider_regions(provider: Provider) -> list[tuple[str, dict[str, Any]]]:
    """Each region (provider regions, then capabilities' own) with what the catalog says of it."""
    rows: list[tuple[str, dict[str, Any]]] = []
    sets: list[tuple[str, dict[str, Any]]] = [("all", dict(provider.regions))]
    for capability, entry in provider.capabilities.items():
        if entry.own_regions is not None:
            sets.append((capability, dict(entry.own_regions)))
    storage_own = any(capability == "object_storage" for capability, _ in sets)
    storage = provider.capabilities.get("object_storage")
    for capability, regions in sets:
        for name, region in regions.items():
            # A region that object storage does not serve gets no endpoint: the template would
            # name one that does not exist.
            shows_storage = capability == "object_storage" or (
                capability == "all"
                and not storage_own
                and storage is not None
                and (storage.regions is None or name in storage.regions)
            )
            rows.append(
                (
                    name,
                    {
                        "for": "every capability" if capability == "all" else capability,
                        "country": region.country,
                        "display_name": region.display_name,
                        "api_region": region.api_region or name,
                        "s3_endpoint": provider.s3_endpoint_for(name) if shows_storage else None,
                        "entity": region.entity,
                    },
                )
            )
    return rows


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def catalog_markdown(catalog: Catalog) -> str:
    """The catalog page: an overview (providers x facts), then regions and facts per provider."""
    from fedstack.catalog._model import FACT_NAMES

    lines = [
        "# Provider catalog",
        "",
        "Generated from `modules/catalog.yaml` by `fedstack catalog docs`; do not edit by hand",
        "(a test checks this file is current). `yes`/`no` is a verified fact; `yes?`/`no?` an",
        "unverified one (policies treat it as unknown); `*` a fact that holds for some",
        "offerings, regions or capabilities only (see the provider's section); empty: no fact.",
        "",
        "| provider | regions | " + " | ".join(FACT_NAMES) + " |",
        "| --- | --- | " + " | ".join("---" for _ in FACT_NAMES) + " |",
    ]
    for name, provider in catalog.providers.items():
        cells = []
        for fact_name in FACT_NAMES:
            facts = provider.facts.named(fact_name)
            text = " / ".join(
                _short(f.value)
                + ("" if f.verified else "?")
                + ("" if f.scope.provider_wide else "*")
                for f in facts
            )
            cells.append(_cell(text))
        lines.append(
            f"| `{name}` | {len(provider_regions(provider))} | " + " | ".join(cells) + " |"
        )
    for name, provider in catalog.providers.items():
        lines += [
            "",
            f"## `{name}`: {provider.display_name}",
            "",
            f"{provider.legal_name}, headquarters {provider.headquarters}; Terraform provider "
            f"`{provider.terraform_provider}`; kind {provider.kind}.",
            "",
            "| region | for | country | API name | S3 endpoint | contracting entity |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        for region, info in provider_regions(provider):
            entity = info["entity"]
            who = f"{entity.legal_name} ({entity.headquarters})" if entity else ""
            lines.append(
                f"| `{region}` {_cell(info['display_name'])} | {info['for']} | {info['country']} | "
                f"`{info['api_region']}` | {_cell(info['s3_endpoint'] or '')} | {_cell(who)} |"
            )
        rows = provider_facts(provider)
        if rows:
            lines += [
                "",
                "| fact | value | scope | verified | as of | source | note |",
                "| --- | --- | --- | --- | --- | --- | --- |",
            ]
            for row in rows:
                lines.append(
                    f"| {row['fact']} | {_cell(row['value'])} | {_cell(row['scope'])} | "
                    f"{'yes' if row['verified'] else 'no'} | {row['as_of']} | {_cell(row['source'])} "
                    f"| {_cell(row['note'])} |"
                )
    return "\n".join(lines) + "\n"


def _short(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if hasattr(value, "model_dump"):
        transfers = getattr(value, "transfers", None)
        if isinstance(transfers, bool):
            return "transfers" if transfers else "none"
    if isinstance(value, dict) and "transfers" in value:
        return "transfers" if value["transfers"] else "none"
    return str(value)
