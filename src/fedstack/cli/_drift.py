"""`fedstack drift`: check stacks for drift in parallel, write reports for CI, post to the bridge.

The engine lives in fedstack.drift (no web framework, no cdktf); this module only turns
options into a run and prints the outcome. Progress goes to stderr, results to stdout.
"""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import click

from fedstack import config
from fedstack.cli._output import BRIDGE_URL, StackEvents, say_provider_mirror, stderr, stdout
from fedstack.errors import FedstackError

__all__ = ["drift"]

_PHASES = {"init": "init", "plan": "refresh-only plan", "show": "reading plan"}
_DONE = {"in_sync": "[green]in sync[/]", "drift": "[yellow]drift[/]", "error": "[red]failed[/]"}


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--app",
    type=click.Path(exists=True, path_type=Path),
    help="A federated app (Python file, or folder with main.py): synthesize it, then check its stacks.",
)
@click.option(
    "--bridge",
    envvar="FEDSTACK_BRIDGE_URL",
    type=BRIDGE_URL,
    help="Post the run to this bridge (default: FEDSTACK_BRIDGE_URL; token from FEDSTACK_BRIDGE_TOKEN or TF_HTTP_PASSWORD).",
)
@click.option(
    "-p",
    "--parallelism",
    "--parallel",  # the 0.1 name, kept working
    "parallel",
    type=click.IntRange(1, 64),
    default=4,
    show_default=True,
    help="Stacks checked at once.",
)
@click.option(
    "--format",
    "formats",
    default="md,json",
    show_default=True,
    metavar="LIST",
    help="Reports to write: md, junit, sarif, json, html (comma-separated) or all.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("drift-report"),
    show_default=True,
    help="Folder the reports are written to.",
)
@click.option(
    "--ignore",
    "ignore_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="YAML file of ignore rules (address glob, attributes, reason, expires).",
)
@click.option(
    "--fail-on",
    type=click.Choice(["drift", "error", "never"]),
    default="drift",
    show_default=True,
    help="drift: exit 2 on drift, 1 on error; error: exit 1 only on error; never: always 0.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=900,
    show_default=True,
    help="Time limit per stack, in seconds.",
)
@click.option(
    "--merge/--no-merge",
    default=True,
    show_default=True,
    help="Check stacks that can share provider configurations in one Terraform run (one "
    "provider boot per configuration); --no-merge checks every stack on its own.",
)
@click.option(
    "--shard",
    metavar="K/N",
    help="Check only shard K of N: stacks sorted by name, dealt round-robin (stable on every runner).",
)
@click.option(
    "--run-group",
    envvar=config.envvar("FEDSTACK_RUN_GROUP"),
    metavar="ID",
    help="Shards posting under one ID make one run in the bridge (default: GITHUB_RUN_ID and "
    "GITHUB_RUN_ATTEMPT, or CI_PIPELINE_ID).",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the report JSON on stdout instead of the table."
)
def drift(
    paths: tuple[Path, ...],
    app: Path | None,
    bridge: str | None,
    parallel: int,
    formats: str,
    out_dir: Path,
    ignore_file: Path | None,
    fail_on: str,
    timeout: float,
    merge: bool,
    shard: str | None,
    run_group: str | None,
    as_json: bool,
) -> None:
    """Find drift: run a refresh-only plan in every stack and report what changed out of band.

    PATH is a folder of stacks (any folder whose *.tf or *.tf.json configures a provider or a
    backend is a stack; folders without are modules and skipped) or a cdktf.out folder with
    its manifest.json; default: the current folder. A stack's fedstack.json
    ({"provider": "sandbox-fr", "region": "fr-par"}) names where it runs.

    Exit code: 0 in sync, 2 drift found, 1 a stack could not be checked (an error outranks
    drift); --fail-on changes that. Sensitive values are masked in every report. When
    GITHUB_STEP_SUMMARY is set, the Markdown report is appended to it.

    Stacks are merged into one Terraform run where that is safe (the report says which ran
    merged and why each other one ran alone); states are read, never written or locked.

    \b
    Examples:
      fedstack drift stacks/ --format md,junit,sarif --out reports/
      fedstack drift cdktf.out --parallel 8 --ignore drift-ignore.yaml
      fedstack drift --app examples/federated-webapp --format all
      fedstack drift . --bridge https://bridge.example.eu --fail-on error
      fedstack drift stacks/ --no-merge --parallelism 2
      fedstack drift stacks/ --shard 2/4 --run-group nightly-42 --bridge https://bridge.example.eu
    """
    from fedstack.client import bridge_token
    from fedstack.drift import (
        DriftOptions,
        check_bridge,
        discover_stacks,
        load_ignore_rules,
        parse_formats,
        render,
        default_run_group,
        parse_shard,
        run_drift,
        select_shard,
        write_reports,
    )

    wanted = parse_formats(formats)
    part = parse_shard(shard) if shard else None
    rules = load_ignore_rules(ignore_file) if ignore_file else []
    bridge = bridge or config.bridge_url()
    roots = list(paths)
    if app is not None:
        from fedstack.cli._synth import synthesize

        roots.append(synthesize(app, None)[0])
    stacks = discover_stacks(roots or [Path(".")])
    group = run_group or (default_run_group() if part else None)
    if part is not None and bridge and not group:
        raise click.UsageError(
            "--shard with a bridge needs --run-group ID (or GITHUB_RUN_ID / CI_PIPELINE_ID), "
            "so the shards make one run"
        )
    if part is not None:
        total = len(stacks)
        stacks = select_shard(stacks, part)
        stderr.print(f"shard {part.index}/{part.count}: {len(stacks)} of {total} stacks")
    say_provider_mirror()
    if bridge:
        # Before the plans: a wrong token should cost a second, not the whole run.
        projects = [None] if group else [s.project for s in stacks]  # a group is one run
        check_bridge(bridge, projects, token=bridge_token())
    stderr.print(
        f"checking {len(stacks)} stack{'s' if len(stacks) != 1 else ''} for drift, {min(parallel, len(stacks))} at a time"
    )
    options = DriftOptions(
        parallel=parallel,
        timeout=timeout,
        ignore_rules=rules,
        fail_on=fail_on,  # type: ignore[arg-type]
        bridge_url=bridge,
        merge=merge,
    )
    report = _run_with_progress(run_drift, stacks, options)
    report = report.model_copy(update={"run_group": group, "shard": part})
    _print_merge(report)
    written = write_reports(report, wanted, out_dir)
    _append_step_summary(render(report, "md"))
    code = report.exit_code
    if report.interrupted:
        stderr.print(
            f"interrupted: the reports hold the {len(report.stacks)} stack(s) that finished; "
            "nothing posted to the bridge"
        )
    elif bridge:
        try:
            _post(bridge, report, stacks)
        except FedstackError as exc:
            # The run is checked but not recorded: an error, and the table says the same exit.
            stderr.print(f"fedstack: error: {exc}", markup=False)
            code = 1
    if as_json:
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    else:
        _print_table(report, code)
    for fmt, path in written.items():
        stderr.print(f"[dim]{fmt} report: {path}[/]")
    click.get_current_context().exit(code)


def _post(bridge: str, report, stacks) -> None:  # type: ignore[no-untyped-def]
    """Post the run (one per project) and the placements the stacks' fedstack.json declare."""
    from fedstack.client import bridge_token
    from fedstack.drift import METADATA_FILE, post_runs, put_placements

    token = bridge_token()
    for answer in post_runs(bridge, report, token=token):
        where = f" ({answer['project']})" if "project" in answer else ""
        stderr.print(
            f"posted run {report.run_id} to the bridge{where}"
            + (f": {answer['url']}" if "url" in answer else "")
        )
        reported = answer.get("shards_reported")
        if report.shard is not None and isinstance(reported, list):
            stderr.print(
                f"run group {report.run_group}: shards {', '.join(map(str, reported))} of "
                f"{report.shard.count} reported"
                + (
                    f"; group exit code {answer['group_exit_code']}"
                    if answer.get("complete")
                    else ""
                )
            )
    # By identity: the report's paths are relative (shown), the found stacks' absolute.
    declared = {(s.project, s.name) for s in stacks if (s.path / METADATA_FILE).is_file()}
    placements = [
        (s.project, s.name, s.provider, s.region)
        for s in report.stacks
        if s.project and s.provider and s.region and (s.project, s.name) in declared
    ]
    for name, outcome in put_placements(bridge, placements, token=token) if placements else []:
        if outcome == "set":
            stderr.print(f"placement of {name} recorded from its fedstack.json")
        elif outcome.startswith("refused"):
            stderr.print(
                f"placement of {name} not recorded ({outcome}); with a state:write token: "
                "fedstack stack set-placement PATH"
            )


def _run_with_progress(run_drift, stacks, options):  # type: ignore[no-untyped-def]
    """Run the check with progress on stderr: bars on a terminal, one line per event in logs."""
    if not stderr.is_terminal:
        return _run_with_lines(run_drift, stacks, options)
    return _run_with_bars(run_drift, stacks, options)


def _run_with_lines(run_drift, stacks, options):  # type: ignore[no-untyped-def]
    from fedstack.terraform import GRACE_SECONDS

    events = StackEvents(stderr)
    plain = {"in_sync": "in sync", "drift": "drift", "error": "failed"}

    def on_phase(name: str, phase: str) -> None:
        if phase in _PHASES:
            events(name, _PHASES[phase])
        else:
            events(name, plain.get(phase, phase), done=True)

    def on_interrupt(running: list[str]) -> None:
        stderr.print(
            f"interrupted: stopping {len(running)} Terraform process(es), waiting up to "
            f"{GRACE_SECONDS:g} s for them to exit: {'; '.join(running)}",
            markup=False,
        )

    options.on_phase = on_phase
    options.on_interrupt = on_interrupt
    return run_drift(stacks, options)


def _run_with_bars(run_drift, stacks, options):  # type: ignore[no-untyped-def]
    """One progress bar per stack and an overall bar, on stderr."""
    from rich.markup import escape
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    from fedstack.terraform import GRACE_SECONDS

    lock = threading.Lock()
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=stderr,
        transient=False,
    ) as progress:
        overall = progress.add_task("stacks checked", total=len(stacks))
        tasks = {s.name: progress.add_task(f"  {escape(s.name)}: waiting", total=3) for s in stacks}

        def on_phase(name: str, phase: str) -> None:
            # Only the stack name and the phase: never a value from a plan.
            with lock:
                task = tasks[name]
                if phase in _PHASES:
                    step = {"init": 0, "plan": 1, "show": 2}[phase]
                    label = f"  {escape(name)}: {_PHASES[phase]}"
                    progress.update(task, description=label, completed=step)
                else:
                    label = f"  {escape(name)}: {_DONE.get(phase, phase)}"
                    progress.update(task, description=label, completed=3)
                    progress.advance(overall)

        def on_interrupt(running: list[str]) -> None:
            progress.stop()
            stderr.print(
                f"interrupted: stopping {len(running)} Terraform process(es), waiting up to "
                f"{GRACE_SECONDS:g} s for them to exit: {'; '.join(running)}"
            )

        options.on_phase = on_phase
        options.on_interrupt = on_interrupt
        return run_drift(stacks, options)


def _print_merge(report) -> None:  # type: ignore[no-untyped-def]
    """One line for the merged stacks and one per stack that ran alone, with the reason."""
    from rich.markup import escape

    merged = [s.name for s in report.stacks if s.merged]
    if merged:
        stderr.print(f"checked in one merged run: {escape(', '.join(merged))}")
    for stack in report.stacks:
        if stack.not_merged_reason:
            stderr.print(f"checked alone: {escape(stack.name)}: {escape(stack.not_merged_reason)}")


def _print_table(report, code: int) -> None:  # type: ignore[no-untyped-def]
    from rich.markup import escape
    from rich.table import Table

    table = Table("stack", "provider", "region", "status", "drifted resources")
    for stack in report.stacks:
        drifted = [r for r in stack.drift if not r.ignored]
        what = ", ".join(
            f"{r.address} ({'deleted' if r.kind == 'delete' else ', '.join(c.path for c in r.changes if not c.ignored)})"
            for r in drifted
        )
        if stack.error:
            what = stack.error
        table.add_row(
            escape(f"{stack.project}/{stack.name}" if stack.project else stack.name),
            stack.provider or "-",
            f"{stack.region} ({stack.country})" if stack.region else "-",
            _DONE[stack.status],
            escape(what or "-"),  # Terraform messages hold [brackets] that Rich would parse
        )
    stdout.print(table)
    s = report.summary
    stdout.print(
        f"{s.stacks} stacks: {s.in_sync} in sync, {s.drifted} drifted, {s.errored} failed; "
        f"{s.resources_drifted} resources drifted, {s.resources_ignored} ignored; exit {code}"
    )
    for rule in report.expired_rules:
        stdout.print(
            f"ignore rule for {escape(rule.address)} expired on {rule.expires}: no longer applied"
        )


def _append_step_summary(markdown: str) -> None:
    target = os.environ.get("GITHUB_STEP_SUMMARY", "").strip()
    if target:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(markdown + "\n")
