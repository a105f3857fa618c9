"""`fedstack synth|deploy|destroy`: run a federated app, then apply its stacks in order.

An APP is a Python file (or a folder holding main.py) that builds a FederatedApp and calls
`app.synth()`; it runs in its own process with CDKTF_OUTDIR set, as `cdktf synth` runs
`python main.py`. Nothing here imports cdktf: the CDK library lives in the app's process.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import click
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from fedstack.cli._output import StackEvents, print_json, say_provider_mirror, stderr, stdout

if TYPE_CHECKING:
    from fedstack.stacks import StackInfo

__all__ = ["deploy", "destroy", "synth"]

_APP = click.argument("app", default=".", type=click.Path(exists=True, path_type=Path))
_OUT = click.option(
    "-o",
    "--out",
    "outdir",
    type=click.Path(path_type=Path),
    help="Output folder (default: cdktf.out beside the app).",
)
_JSON = click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")


def synthesize(app: Path, outdir: Path | None) -> tuple[Path, list[StackInfo]]:
    from fedstack.stacks import read_stacks, resolve_app, run_app

    script = resolve_app(app)
    out = (outdir or script.parent / "cdktf.out").resolve()
    with stderr.status(f"synthesizing {script.name} into {out}"):
        run_app(script, out)
    return out, read_stacks(out)


@click.command()
@_APP
@_OUT
@_JSON
def synth(app: Path, outdir: Path | None, as_json: bool) -> None:
    """Run APP (a Python file, or a folder with main.py) and write one stack per placement.

    \b
    Examples:
      fedstack synth examples/federated-webapp        # runs its main.py
      fedstack synth main.py --out build/stacks --json
    """
    out, stacks = synthesize(app, outdir)
    if as_json:
        print_json(
            {
                "outdir": str(out),
                "stacks": [
                    {
                        "stack": s.name,
                        "workdir": str(s.workdir),
                        "dependencies": list(s.dependencies),
                        **(s.meta.model_dump() if s.meta else {}),
                    }
                    for s in stacks
                ],
            }
        )
        return
    table = Table("stack", "provider", "region", "depends on")
    for s in stacks:
        table.add_row(s.name, s.provider or "-", s.region or "-", ", ".join(s.dependencies) or "-")
    stdout.print(table)
    stderr.print(f"{len(stacks)} stack(s) in {out}")


def _apply_all(
    action: Literal["deploy", "destroy"],
    app: Path,
    outdir: Path | None,
    patterns: tuple[str, ...],
    parallelism: int,
    as_json: bool,
) -> None:
    from fedstack.catalog import load_catalog
    from fedstack.errors import FedstackError
    from fedstack.stacks import run_stacks, select_stacks

    out, stacks = synthesize(app, outdir)
    chosen = select_stacks(stacks, patterns)
    say_provider_mirror()

    def run(on_event, on_interrupt):  # type: ignore[no-untyped-def]
        return run_stacks(
            chosen,
            action,
            catalog=load_catalog(),
            parallelism=parallelism,
            on_event=on_event,
            on_interrupt=on_interrupt,
        )

    def say(waiting: list[str]) -> None:
        stderr.print(f"interrupted: {'; '.join(waiting)}", markup=False)

    if not stderr.is_terminal:
        events = StackEvents(stderr)
        final = ("done", "failed", "not run")
        results = run(lambda s, m: events(s, m[:200], done=m.startswith(final)), say)
    else:
        lock = threading.Lock()
        with Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.fields[stack]}[/]"),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=stderr,
            transient=False,
        ) as progress:
            tasks = {s.name: progress.add_task("waiting", stack=s.name, total=None) for s in chosen}

            def on_event(stack: str, message: str) -> None:
                with lock:
                    progress.update(tasks[stack], description=message[:100])

            def on_interrupt(waiting: list[str]) -> None:
                progress.stop()
                say(waiting)

            results = run(on_event, on_interrupt)
    if as_json:
        print_json({"action": action, "outdir": str(out), "results": [r.__dict__ for r in results]})
    else:
        table = Table("stack", "result", "seconds", "message")
        for r in results:
            colour = {"ok": "green", "failed": "red", "skipped": "yellow"}[r.status]
            table.add_row(r.stack, f"[{colour}]{r.status}[/]", f"{r.seconds:.1f}", r.message)
        stdout.print(table)
    bad = [r.stack for r in results if r.status != "ok"]
    if bad:
        raise FedstackError(f"{action} did not succeed for {len(bad)} stack(s): {', '.join(bad)}")


def _apply_options(func):  # type: ignore[no-untyped-def]
    func = click.option(
        "-p", "--parallelism", default=4, show_default=True, help="Stacks run at once."
    )(func)
    func = click.option(
        "-s",
        "--stack",
        "patterns",
        multiple=True,
        help="Only stacks matching this glob (repeatable).",
    )(func)
    return _APP(_OUT(_JSON(func)))


@click.command()
@_apply_options
def deploy(
    app: Path, outdir: Path | None, patterns: tuple[str, ...], parallelism: int, as_json: bool
) -> None:
    """Synthesize APP, then `terraform apply` its stacks in dependency order, in parallel.

    \b
    Examples:
      fedstack sandbox up && fedstack deploy examples/federated-webapp
      fedstack deploy main.py --stack 'shop-sandbox-de-*' --json
    """
    _apply_all("deploy", app, outdir, patterns, parallelism, as_json)


@click.command()
@_apply_options
def destroy(
    app: Path, outdir: Path | None, patterns: tuple[str, ...], parallelism: int, as_json: bool
) -> None:
    """Synthesize APP, then destroy its stacks, dependents first.

    \b
    Examples:
      fedstack destroy examples/federated-webapp
      fedstack destroy main.py --stack '*-sandbox-nl-*'
    """
    _apply_all("destroy", app, outdir, patterns, parallelism, as_json)
