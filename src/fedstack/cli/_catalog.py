"""`fedstack catalog check|show|docs`: the provider catalog, checked against its own sources."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from fedstack.cli._output import print_json, stderr, stdout

__all__ = ["catalog"]


@click.group()
def catalog() -> None:
    """Check and read the provider catalog (modules/catalog.yaml).

    \b
    Examples:
      fedstack catalog check            # schema, ISO codes, module regions, sources; exit 1 on problems
      fedstack catalog show ovhcloud    # a provider's regions and facts with scope, source, date
      fedstack catalog docs --check     # exit 1 when docs/catalog.md is stale (for CI)
    """


_CATALOG = click.option(
    "--catalog",
    "catalog_file",
    type=click.Path(dir_okay=False),
    help="catalog.yaml (default: the installed one).",
)


@catalog.command("check")
@_CATALOG
@click.option("--json", "as_json", is_flag=True, help="Print problems and stale facts as JSON.")
def check_command(catalog_file: str | None, as_json: bool) -> None:
    """Check the catalog: schema, ISO codes, every module region, every fact's source and date.

    A cloud provider's fact must cite a specific page (not a home page), give the date the
    source states (`as_of`) and say `verified: true|false`. Facts older than a year are listed
    as stale (not a problem). Exit 0 clean, 1 on problems.

    \b
    Example:
      fedstack catalog check --catalog modules/catalog.yaml
    """
    from fedstack.catalog import audit_catalog

    audit = audit_catalog(catalog_file)
    if as_json:
        print_json({"file": str(audit.file), "problems": audit.problems, "stale": audit.stale})
    else:
        for problem in audit.problems:
            stdout.print(f"problem: {problem}")
        for stale in audit.stale:
            stdout.print(f"stale: {stale}")
        stderr.print(
            f"{audit.file}: {audit.facts} facts ({audit.verified} verified), "
            f"{len(audit.problems)} problems, {len(audit.stale)} stale"
        )
    if audit.problems:
        sys.exit(1)


@catalog.command("show")
@click.argument("provider")
@_CATALOG
@click.option("--json", "as_json", is_flag=True, help="Print the regions and facts as JSON.")
def show_command(provider: str, catalog_file: str | None, as_json: bool) -> None:
    """Print one provider's regions and facts, each fact with scope, source and date.

    \b
    Example:
      fedstack catalog show ionos --json
    """
    from fedstack.catalog import load_catalog
    from fedstack.catalog import provider_facts, provider_regions

    entry = load_catalog(catalog_file).provider(provider)
    regions = provider_regions(entry)
    facts = provider_facts(entry)
    if as_json:
        print_json(
            {
                "provider": provider,
                "legal_name": entry.legal_name,
                "headquarters": entry.headquarters,
                "regions": [
                    {
                        "region": name,
                        **{k: v for k, v in info.items() if k != "entity"},
                        "entity": info["entity"].legal_name if info["entity"] else None,
                    }
                    for name, info in regions
                ],
                "facts": facts,
            }
        )
        return
    stdout.print(
        f"{provider}: {entry.display_name}, {entry.legal_name} (headquarters {entry.headquarters})"
    )
    for name, info in regions:
        endpoint = f" s3 {info['s3_endpoint']}" if info["s3_endpoint"] else ""
        entity = f" entity {info['entity'].legal_name}" if info["entity"] else ""
        stdout.print(
            f"  region {name} ({info['for']}): {info['country']} api {info['api_region']}"
            f"{endpoint}{entity}"
        )
    if not facts:
        stdout.print("  no facts: every fact-based rule is unknown")
    for row in facts:
        state = "verified" if row["verified"] else "UNVERIFIED"
        stdout.print(
            f"  fact {row['fact']} = {row['value']} (scope {row['scope']}) {state}, as of "
            f"{row['as_of']}, source {row['source']}" + (f" ({row['note']})" if row["note"] else "")
        )


@catalog.command("docs")
@_CATALOG
@click.option("--check", is_flag=True, help="Change nothing; exit 1 when the page is stale.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    help="The page to write (default: docs/catalog.md beside modules/).",
)
def docs_command(catalog_file: str | None, check: bool, out: str | None) -> None:
    """Render docs/catalog.md (providers x regions x facts) from the catalog YAML.

    \b
    Example:
      fedstack catalog docs --check   # in CI: fails when catalog.yaml changed but the page did not
    """
    from fedstack.catalog import load_catalog
    from fedstack.catalog import catalog_markdown

    loaded = load_catalog(catalog_file)
    page = Path(out) if out else loaded.modules_root.parent / "docs" / "catalog.md"
    text = catalog_markdown(loaded)
    current = page.read_text() if page.is_file() else None
    if check:
        if current != text:
            stderr.print(f"stale: {page}; run `fedstack catalog docs`")
            sys.exit(1)
        stderr.print(f"{page} is current")
        return
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(text)
    stderr.print(f"{'updated' if current != text else 'unchanged'}: {page}")
