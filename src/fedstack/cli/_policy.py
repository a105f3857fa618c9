"""`fedstack policy check|explain|presets|show`: the sovereignty policy on plans, and its rules."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.table import Table

from fedstack import config
from fedstack.catalog import load_catalog
from fedstack.cli._output import print_json, stderr, stdout
from fedstack.policy import (
    FORMATS,
    PRESETS,
    RULE_TYPES,
    Outcome,
    PolicyError,
    check_plan,
    load_policy,
    render,
    sandbox_endpoints,
    write_reports,
)
from fedstack.policy import rule_id as rule_type_id
from fedstack.policy import rule_parameters, rules_markdown

__all__ = ["policy"]

_STYLE = {Outcome.PASS: "green", Outcome.FAIL: "red", Outcome.UNKNOWN: "yellow"}


@click.group()
def policy() -> None:
    """Check a sovereignty policy (EU locations, EU control, Gaia-X level...) on plans.

    \b
    Examples:
      terraform show -json plan.bin > plan.json
      fedstack policy check plan.json --policy eu-sovereign --format md,sarif --out reports/
      fedstack policy presets
      fedstack policy explain data-location-eu
      fedstack policy show eu-sovereign > my-policy.yaml   # start a custom policy
    """


@policy.command()
@click.argument("plan", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--policy",
    "policy_ref",
    default="eu-data-residency",
    show_default=True,
    help="A preset name (`fedstack policy presets`) or a policy YAML file.",
)
@click.option(
    "--format",
    "formats",
    default=None,
    help=f"Report formats ({', '.join(FORMATS)}): comma-separated with --out (default md); "
    "without --out, one format printed on stdout instead of the table.",
)
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), help="Folder for the reports."
)
@click.option(
    "--strict", is_flag=True, help="Exit 2 also when a rule is unknown or a resource unresolved."
)
@click.option(
    "--catalog",
    "catalog_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A catalog file instead of the built-in one.",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the JSON report on stdout (--format json)."
)
def check(
    plan: Path,
    policy_ref: str,
    formats: str,
    out: Path | None,
    strict: bool,
    catalog_path: Path | None,
    as_json: bool,
) -> None:
    """Check every resource of a plan JSON (`terraform show -json PLANFILE`) against a policy.

    Provider and region are resolved per resource from the provider configuration (region,
    S3 endpoints, recorded sandbox servers) and the resource's region/location/zone/region_name.
    Exit 0 when every rule passes, 2 when a rule fails, 1 on an error. Unknown outcomes and
    unresolved resources are listed but exit 0 unless --strict.

    \b
    Example:
      terraform plan -out plan.bin && terraform show -json plan.bin > plan.json
      fedstack policy check plan.json --policy eu-sovereign --format md,junit,sarif,json --out reports
      fedstack policy check plan.json --policy ./my-policy.yaml --format md > summary.md
      terraform show -json plan.bin | fedstack policy check - --strict
    """
    wanted = [f.strip() for f in (formats or "md").split(",") if f.strip()]
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown:
        raise PolicyError(f"--format: unknown format {unknown[0]!r}; known: {', '.join(FORMATS)}")
    if as_json:
        wanted, formats = ["json"], formats or "json"
    to_stdout = out is None and formats is not None
    if to_stdout and len(wanted) > 1:
        raise PolicyError("--format: several formats need --out DIR; without it, give one")
    chosen = load_policy(policy_ref)
    report = check_plan(
        plan,
        catalog=load_catalog(catalog_path),
        policy=chosen,
        sandbox=sandbox_endpoints(config.home()),
        strict=strict,
    )
    if out is not None:
        for path in write_reports(report, wanted, out):
            stderr.print(f"wrote {path}")
    if to_stdout:
        click.echo(render(report, wanted[0]), nl=False)
    else:
        table = Table("resource", "where", "outcome", "why")
        for entry in report.resources:
            where = f"{entry.provider or '?'}/{entry.region or '?'} ({entry.country or '?'})"
            bad = [f for f in entry.findings if f.outcome is not Outcome.PASS]
            why = entry.unresolved or "; ".join(f"{f.rule_id}: {f.message}" for f in bad)
            style = _STYLE[entry.outcome]
            table.add_row(entry.address, where, f"[{style}]{entry.outcome.value}[/]", why)
        stdout.print(table)
        stderr.print(
            f"policy {report.policy}: {report.count(Outcome.PASS)} pass, "
            f"{report.count(Outcome.FAIL)} fail, {report.count(Outcome.UNKNOWN)} unknown "
            f"({len(report.unresolved)} unresolved), {len(report.skipped)} skipped"
        )
    # SystemExit, not click's Exit: fedstack.cli.main runs click with standalone_mode=False,
    # which turns Exit into a return value and would lose the code CI acts on.
    sys.exit(report.exit_code())


@policy.command()
@click.argument("rule_id")
@click.option("--json", "as_json", is_flag=True, help="Print the rule as JSON.")
def explain(rule_id: str, as_json: bool) -> None:
    """Say what a rule checks, the criterion it maps to and the catalog facts it reads.

    \b
    Example:
      fedstack policy explain no-non-eu-control
    """
    types = {rule_type_id(t): t for t in RULE_TYPES}
    rule = types.get(rule_id)
    if rule is None:
        raise PolicyError(f"unknown rule {rule_id!r}; known: {', '.join(types)}")
    parameters = rule_parameters(rule)
    used_by = [name for name, p in PRESETS.items() if any(r.id == rule_id for r in p.rules)]
    if as_json:
        print_json(
            {
                "id": rule_id,
                "title": rule.title,
                "rationale": rule.rationale,
                "criterion": rule.criterion,
                "source_note": rule.source_note,
                "checks": rule.checks,
                "facts": list(rule.facts),
                "parameters": parameters,
                "presets": used_by,
            }
        )
        return
    stdout.print(f"[bold]{rule_id}[/]: {rule.title}")
    stdout.print(f"  why:       {rule.rationale}")
    stdout.print(f"  checks:    {rule.checks}")
    stdout.print(f"  criterion: {rule.criterion}")
    if rule.source_note:
        stdout.print(f"  source:    {rule.source_note}")
    stdout.print(f"  facts:     {', '.join(rule.facts)}")
    stdout.print("  outcome:   unknown (never pass) when a fact it reads is missing or unverified")
    for name, info in parameters.items():
        default = "required" if info["required"] else f"default {info['default']!r}"
        stdout.print(f"  parameter: {name} ({info['type']}, {default}) {info['description']}")
    stdout.print(f"  presets:   {', '.join(used_by) or '-'}")


@policy.command()
@click.option(
    "--markdown", is_flag=True, help="Print the rules reference page (docs/policy-rules.md)."
)
def rules(markdown: bool) -> None:
    """List every rule with the criterion it maps to.

    \b
    Examples:
      fedstack policy rules
      fedstack policy rules --markdown > docs/policy-rules.md
    """
    if markdown:
        click.echo(rules_markdown(), nl=False)
        return
    table = Table("rule", "checks", "criterion")
    for rule in RULE_TYPES:
        table.add_row(rule_type_id(rule), rule.title, rule.criterion)
    stdout.print(table)


@policy.command()
@click.option("--json", "as_json", is_flag=True, help="Print the presets as JSON.")
def presets(as_json: bool) -> None:
    """List the built-in policies and their rules.

    \b
    Example:
      fedstack policy presets
    """
    if as_json:
        print_json(
            {
                name: {
                    "description": p.description,
                    "rules": [{"id": r.id, **r.parameters()} for r in p.rules],
                }
                for name, p in PRESETS.items()
            }
        )
        return
    table = Table("preset", "rules", "what it asks")
    for name, p in PRESETS.items():
        table.add_row(name, ", ".join(r.id for r in p.rules), p.description)
    stdout.print(table)


@policy.command()
@click.argument("policy_ref")
def show(policy_ref: str) -> None:
    """Print a policy (preset or file) as YAML: the start of a custom policy file.

    \b
    Example:
      fedstack policy show eu-sovereign > policy.yaml
    """
    click.echo(load_policy(policy_ref).to_yaml(), nl=False)
