"""`fedstack plan-placement APP`: where each component goes, and why every other candidate not.

Runs the app through `fedstack.stacks.plan_app` (it places components, synthesizes nothing) and prints the
decisions; nothing here imports cdktf.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.table import Table

from fedstack.cli._output import print_json, stderr, stdout

if TYPE_CHECKING:
    from fedstack.contracts import PlacementPlan

__all__ = ["plan_placement"]


@click.command("plan-placement")
@click.argument("app", default=".", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--json", "as_json", is_flag=True, help="Print the decisions and every refusal as JSON."
)
def plan_placement(app: Path, as_json: bool) -> None:
    """Show where APP's components go under its policy, with a reason for each refused candidate.

    \b
    Examples:
      fedstack plan-placement examples/federated-webapp
      fedstack plan-placement main.py --json | jq '.workloads[].decisions[].why'
    """
    from fedstack.stacks import AppError, plan_app, resolve_app

    script = resolve_app(app)
    plan, error = plan_app(script)
    if plan is None:
        raise error or AppError(f"{script} never called app.synth(): no placement to show")
    if as_json:
        print_json({**plan.model_dump(), "error": str(error) if error else None})
    else:
        _print_tables(plan)
    if error is not None:
        raise error


def _print_tables(plan: PlacementPlan) -> None:
    stderr.print(f"project {plan.project}, policy {plan.policy}")
    for workload, decision in plan.decisions():
        chosen = decision.provider
        title = f"{workload}/{decision.component} ({decision.capability}): " + (
            f"{chosen}/{decision.region} - {decision.why}"
            if chosen
            else "NO PLACEMENT - " + decision.why
        )
        table = Table(
            "provider",
            "region",
            "country",
            "verdict",
            "reason",
            title=title,
            title_justify="left",
        )
        for c in decision.candidates:
            taken = chosen == c.provider and decision.region == c.region
            verdict = (
                "[green]chosen[/]"
                if taken
                else ("accepted" if not c.reasons else "[red]refused[/]")
            )
            reasons = "; ".join(f"{r.stage} {r.rule}: {r.message}" for r in c.reasons)
            table.add_row(c.provider, c.region, c.country, verdict, reasons or "-")
        stdout.print(table)
        for warning in decision.policy_warnings:
            stdout.print(f"[yellow]set by hand, the policy will refuse it at synth: {warning}[/]")
