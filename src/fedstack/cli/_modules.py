"""`fedstack modules docs|check`: keep module READMEs rendered and modules true to their interface."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from fedstack.cli._output import print_json, stderr, stdout

__all__ = ["modules"]


@click.group()
def modules() -> None:
    """Work on the Terraform modules in modules/<capability>/<provider>/.

    \b
    Examples:
      fedstack modules docs            # re-render every README's inputs/outputs section
      fedstack modules docs --check    # exit 1 when a README is stale (for CI)
      fedstack modules check           # contract: common interface, types, versions, catalog
    """


def _root(path: str | None) -> Path:
    from fedstack.catalog import modules_root

    return Path(path).resolve() if path else modules_root()


@modules.command()
@click.option("--check", is_flag=True, help="Change nothing; exit 1 when a README is stale.")
@click.option(
    "--root",
    "root",
    type=click.Path(file_okay=False),
    help="modules/ folder (default: the installed one).",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the READMEs and whether each changed as JSON."
)
def docs(check: bool, root: str | None, as_json: bool) -> None:
    """Render each module README's inputs/outputs section from variables.tf and outputs.tf.

    \b
    Example:
      fedstack modules docs --check   # in CI: fails when someone edited variables.tf only
    """
    from fedstack.catalog import module_folders
    from fedstack.catalog import update_readme

    results = [update_readme(folder, check=check) for folder in module_folders(_root(root))]
    stale = [r for r in results if r.changed]
    if as_json:
        print_json([{"readme": str(r.readme), "changed": r.changed} for r in results])
    else:
        verb = "stale" if check else "updated"
        for result in stale:
            stdout.print(f"{verb}: {result.readme}")
        stderr.print(f"{len(results)} module READMEs, {len(stale)} {verb}")
    if check and stale:
        sys.exit(1)


@modules.command("check")
@click.option(
    "--catalog",
    "catalog_file",
    type=click.Path(dir_okay=False),
    help="catalog.yaml (default: the installed one); its folder is the modules root.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the problems as a JSON list.")
def check_command(catalog_file: str | None, as_json: bool) -> None:
    """Check every module against its capability's common interface and the catalog.

    \b
    Example:
      fedstack modules check --catalog modules/catalog.yaml
    """
    from fedstack.catalog import load_catalog
    from fedstack.catalog import check_catalog_tables, check_module, module_folders

    catalog = load_catalog(catalog_file)
    folders = module_folders(catalog.modules_root)
    problems = [p for folder in folders for p in check_module(folder, folder.parent.name)]
    problems += check_catalog_tables(catalog)
    if as_json:
        print_json(problems)
    else:
        for problem in problems:
            stdout.print(problem)
        stderr.print(f"{len(folders)} modules, {len(problems)} problems")
    if problems:
        sys.exit(1)
