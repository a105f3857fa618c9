"""`fedstack demo`: the main job in one command, on the sandbox cloud.

Thin: the steps live in fedstack.demo; this module renders them with Rich (progress on
stderr, results on stdout).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from fedstack.cli._output import say_provider_mirror, stderr, stdout

if TYPE_CHECKING:
    from fedstack.contracts import CandidateRecord, PlacementPlan
    from fedstack.demo import DemoEnvironment, OutOfBandChange

__all__ = ["demo"]


class _RichView:
    """Renders the demo's steps: headings and progress on stderr, tables and reports on stdout."""

    def step(self, number: int, total: int, title: str) -> None:
        stderr.rule(f"[bold]{number}/{total}[/] {title}", align="left")

    def note(self, message: str) -> None:
        stderr.print(f"  [dim]{message}[/]")

    def placement(self, plan: PlacementPlan) -> None:
        from rich.table import Table

        table = Table(
            "component",
            "capability",
            "placed at",
            "why",
            "refused candidates",
            title=f"placement under policy {plan.policy}",
            title_justify="left",
        )
        examples: dict[str, str] = {}
        for _workload, d in plan.decisions():
            where = f"{d.provider}/{d.region}" if d.provider else "[red]nowhere[/]"
            table.add_row(
                d.component, d.capability, where, d.why, _refusals(d.candidates, examples)
            )
        stdout.print(table)
        stdout.print("why candidates were refused (one example per rule):")
        for rule, message in examples.items():
            stdout.print(f"  {rule}: {message}", markup=False)
        stderr.print("  [dim]every candidate: fedstack plan-placement examples/federated-webapp[/]")

    @contextlib.contextmanager
    def stacks_progress(
        self, action: str, stacks: list[str]
    ) -> Iterator[Callable[[str, str], None]]:
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        lock = threading.Lock()
        with Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.fields[stack]}[/]"),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=stderr,
        ) as progress:
            tasks = {
                name: progress.add_task(f"{action}: waiting", stack=name, total=None)
                for name in stacks
            }

            def on_event(stack: str, message: str) -> None:
                with lock:
                    if stack in tasks:
                        progress.update(tasks[stack], description=f"{action}: {message[:90]}")

            yield on_event

    def stack_results(self, action: str, results: list[Any]) -> None:
        for r in results:
            colour = {"ok": "green", "failed": "red", "skipped": "yellow"}[r.status]
            line = f"{action} {r.stack}: [{colour}]{r.status}[/] ({r.seconds:.0f} s)"
            stderr.print(line + (f" {r.message}" if r.message else ""))

    def inventory(self, page: dict[str, Any]) -> None:
        from rich.table import Table

        table = Table(
            "provider",
            "region",
            "country",
            "address",
            "type",
            title="inventory (from the bridge)",
            title_justify="left",
        )
        for item in page["items"]:
            table.add_row(
                item["provider"] or "-",
                item["region"] or "-",
                item["country"] or "-",
                item["address"],
                item["type"],
            )
        stdout.print(table)
        providers = sorted({i["provider"] for i in page["items"] if i["provider"]})
        stdout.print(
            f"{page['total']} resources across {len(providers)} providers: {', '.join(providers)}"
        )

    def changes(self, changes: list[OutOfBandChange]) -> None:
        for change in changes:
            stdout.print(
                f"changed out of band at {change.provider}: {change.resource}: {change.change}"
            )

    def drift(self, markdown: str, exit_code: int, run_url: str | None) -> None:
        stdout.print(markdown, markup=False, highlight=False)
        meaning = {0: "in sync", 2: "drift found", 1: "a stack could not be checked"}[exit_code]
        stdout.print(f"drift exit code {exit_code} ({meaning})")
        if run_url:
            stdout.print(f"drift run in the bridge: {run_url}")

    def ready(self, env: DemoEnvironment, run_url: str | None, keep: bool) -> None:
        if keep:
            stdout.print(
                f"dashboard: {env.dashboard_url} (log in with any user name and the token in {env.read_token_file})"
            )
        else:
            stdout.print(
                f"dashboard: {env.dashboard_url} (up until the demo ends; `fedstack demo --keep` keeps it)"
            )


def _refusals(candidates: list[CandidateRecord], examples: dict[str, str]) -> str:
    """'rule N' per refusing rule, most frequent first; the first message of each goes to examples."""
    counts: dict[str, int] = {}
    for c in candidates:
        for reason in c.reasons:
            counts[reason.rule] = counts.get(reason.rule, 0) + 1
            examples.setdefault(reason.rule, reason.message)
    return (
        ", ".join(f"{rule} {n}" for rule, n in sorted(counts.items(), key=lambda i: -i[1])) or "-"
    )


@click.command()
@click.option(
    "--keep", is_flag=True, help="Leave the deployment, bridge and sandbox up until Ctrl-C."
)
@click.option(
    "--policy",
    default="eu-sovereign",
    show_default=True,
    help="Policy preset or YAML file the placement must satisfy.",
)
@click.option(
    "--app",
    "app",
    type=click.Path(exists=True, path_type=Path),
    help="Federated app to run (default: examples/federated-webapp of this checkout).",
)
def demo(keep: bool, policy: str, app: Path | None) -> None:
    """Place, deploy, inventory, drift and clean up a three-provider app on the sandbox cloud.

    Starts private sandbox providers and a bridge (SQLite under FEDSTACK_HOME/demo, a free
    loopback port), then stops them; Ctrl-C at any point destroys and stops everything.

    \b
    Examples:
      fedstack demo                 # the whole flow, then destroy and stop
      fedstack demo --keep          # stop at the dashboard; Ctrl-C destroys and stops
      fedstack demo --policy eu-data-residency
    """
    from fedstack.demo import DemoOptions, default_app, run_demo
    from fedstack.policy import load_policy

    load_policy(policy)  # a wrong policy is the one line it needs, before any progress
    say_provider_mirror()
    options = DemoOptions(app=app or default_app(), policy=policy, keep=keep)
    run_demo(options, _RichView())
    stderr.print("[green]demo done[/]: everything it started is stopped")
