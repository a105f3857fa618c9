"""Run the drift check over stacks: init, refresh-only plan and show per stack, in a bounded pool.

One stack's failure becomes an error entry beside the others' results. Plans are saved in a
private temporary folder (they hold secrets in clear) and removed afterwards. Progress is
reported through a callback carrying only stack names and phases, never values.
Must not import the web framework or cdktf: the CLI runs this without a server.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fedstack.drift.ignore import IgnoreRule, apply_ignore_rules
from fedstack.drift.locations import declaration_line
from fedstack.drift.merge import MergedRun, MergeInterrupted, check_merged
from fedstack.drift.plan_json import (
    DriftedResource,
    managed_addresses,
    provider_regions,
    read_drift,
)
from fedstack.drift.schema import (
    DriftReport,
    FailOn,
    ResourceDrift,
    SourceLocation,
    StackResult,
    Summary,
)
from fedstack.drift.stacks import Stack

import fedstack
from fedstack import config
from fedstack.catalog import Catalog, load_catalog
from fedstack.contracts import Placement, placement_for_region, stack_placement
from fedstack.errors import FedstackError, TerraformError
from fedstack.sandbox import credentials_for
from fedstack.stacks import (
    StackIdentity,
    backend_config_file,
    bridge_backend_env,
    read_backend_config,
)
from fedstack.terraform import Terraform, clear_interrupt, interrupt_all

__all__ = ["INTERRUPTED_EXIT", "DriftOptions", "OnPhase", "exit_code", "run_drift"]

OnPhase = Callable[[str, str], None]
"""Receives (stack name, phase): "init", "plan", "show", then "in_sync", "drift" or "error"."""

_ERROR_LIMIT = 2000
INTERRUPTED_EXIT = 130
"""The exit code after Ctrl-C (128 + SIGINT), as shells report it."""


@dataclass
class DriftOptions:
    """How to run a drift check: pool size, per-stack time limit, ignore rules, environment."""

    parallel: int = 4
    timeout: float = 900.0
    ignore_rules: Sequence[IgnoreRule] = ()
    fail_on: FailOn = "drift"
    env: Mapping[str, str] | None = None
    on_phase: OnPhase | None = None
    on_interrupt: Callable[[list[str]], None] | None = None
    """After Ctrl-C: hears the Terraform commands still running, before waiting for them."""
    today: dt.date | None = None
    catalog: Catalog | None = field(default=None, repr=False)
    bridge_url: str | None = None
    """Stacks whose `backend "http" {}` has no address read their state from this bridge."""
    merge: bool = True
    """Check stacks that share provider configurations in one Terraform run (see merge.py)."""
    merge_group_size: int | None = None
    """At most this many stacks per merged run (None: one run per environment)."""


def run_drift(stacks: Sequence[Stack], options: DriftOptions | None = None) -> DriftReport:
    """Check every stack for drift and return the report (never raises for one stack's failure)."""
    opts = options or DriftOptions()
    catalog = opts.catalog or load_catalog()
    today = opts.today or dt.datetime.now(dt.UTC).date()
    started = dt.datetime.now(dt.UTC)
    versions: list[str] = []
    with tempfile.TemporaryDirectory(prefix="fedstack-drift-") as plans:
        os.chmod(plans, 0o700)

        def check(item: tuple[int, Stack]) -> StackResult:
            index, stack = item
            plan_file = Path(plans) / f"{index}.tfplan"
            return _check_stack(stack, plan_file, opts, catalog, today, versions)

        interrupted = False
        if opts.merge and len(stacks) > 1:
            run = _merged_run(stacks, check, opts, catalog, today, versions)
            try:
                results = check_merged(stacks, Path(plans), run)
            except MergeInterrupted as stopped:
                interrupted = True
                results = stopped.results
            finally:
                clear_interrupt()
        else:
            results, interrupted = _check_each(stacks, check, opts)
    expired = apply_ignore_rules([], opts.ignore_rules, today)[1]
    summary = _summary(results)
    report = DriftReport(
        run_id=str(uuid.uuid4()),
        started_at=started,
        finished_at=dt.datetime.now(dt.UTC),
        fedstack_version=fedstack.__version__,
        terraform_version=versions[0] if versions else None,
        fail_on=opts.fail_on,
        exit_code=0,
        summary=summary,
        stacks=results,
        expired_rules=expired,
        interrupted=interrupted,
    )
    return report.model_copy(update={"exit_code": exit_code(report, opts.fail_on)})


def exit_code(report: DriftReport, fail_on: FailOn) -> int:
    """130 if interrupted, 1 if a stack errored, else 2 if drift was found, else 0.

    `fail_on` relaxes all but the interrupt.
    """
    if report.interrupted:
        return INTERRUPTED_EXIT
    if fail_on == "never":
        return 0
    if report.summary.errored:
        return 1
    if fail_on == "drift" and report.summary.drifted:
        return 2
    return 0


def _check_each(
    stacks: Sequence[Stack], check: Callable[[tuple[int, Stack]], StackResult], opts: DriftOptions
) -> tuple[list[StackResult], bool]:
    """Each stack on its own in a bounded pool; (results, interrupted)."""
    workers = max(1, min(opts.parallel, len(stacks)))
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="drift")
    futures = [pool.submit(check, item) for item in enumerate(stacks)]
    interrupted = False
    try:
        wait(futures)
    except KeyboardInterrupt:
        # Ctrl-C: queued stacks never start, running Terraform gets SIGINT (then SIGKILL),
        # and the report keeps the stacks that had finished before.
        interrupted = True
        finished = {f for f in futures if f.done()}
        for future in futures:
            future.cancel()
        interrupt_all(on_waiting=opts.on_interrupt)
        wait([f for f in futures if not f.cancelled()])
        futures = [f for f in futures if f in finished]
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        clear_interrupt()
    return [f.result() for f in futures], interrupted


def _merged_run(
    stacks: Sequence[Stack],
    check: Callable[[tuple[int, Stack]], StackResult],
    opts: DriftOptions,
    catalog: Catalog,
    today: dt.date,
    versions: list[str],
) -> MergedRun:
    index = {s.name: i for i, s in enumerate(stacks)}

    def judge(stack: Stack, plan: dict[str, Any], started: float) -> StackResult:
        return _judge(stack, lambda *_: plan, opts, catalog, today, versions, started)

    return MergedRun(
        on_interrupt=lambda: interrupt_all(on_waiting=opts.on_interrupt),
        parallel=opts.parallel,
        timeout=opts.timeout,
        env_of=lambda stack: _stack_env(stack, opts, catalog),
        alone=lambda stack: check((index[stack.name], stack)),
        judge=judge,
        on_phase=opts.on_phase,
        group_size=opts.merge_group_size,
    )


# -- one stack ---------------------------------------------------------------------------------

Refresh = Callable[[dict[str, str], float, Callable[[str], None]], dict[str, Any]]
"""Gives a stack's plan JSON from its environment, deadline and phase callback."""


def _check_stack(
    stack: Stack,
    plan_file: Path,
    opts: DriftOptions,
    catalog: Catalog,
    today: dt.date,
    versions: list[str],
) -> StackResult:
    def refresh(env: dict[str, str], deadline: float, phase: Callable[[str], None]) -> Any:
        tf = Terraform(stack.path, timeout=opts.timeout, env=env)
        backend_file = backend_config_file(stack.path)
        backend = read_backend_config(backend_file) if backend_file else None
        return _refresh_only_plan(tf, plan_file, deadline, phase, backend)

    try:
        return _judge(stack, refresh, opts, catalog, today, versions, time.monotonic())
    finally:
        plan_file.unlink(missing_ok=True)


def _stack_env(stack: Stack, opts: DriftOptions, catalog: Catalog) -> dict[str, str]:
    declared = stack_placement(stack.path, catalog)
    # Sandbox stacks get the sandbox's dummy keys; real providers use the caller's environment.
    return {
        **credentials_for(catalog, declared.provider if declared else None),
        **_backend_env(stack, opts),
        **(opts.env or {}),
    }


def _judge(
    stack: Stack,
    refresh: Refresh,
    opts: DriftOptions,
    catalog: Catalog,
    today: dt.date,
    versions: list[str],
    started: float,
) -> StackResult:
    deadline = started + opts.timeout
    placement: Placement | None = None

    def phase(name: str) -> None:
        if opts.on_phase:
            opts.on_phase(stack.name, name)

    def result(**fields: Any) -> StackResult:
        status = fields.pop("status")
        phase(status)
        return StackResult(
            name=stack.name,
            project=stack.project,
            path=_shown(stack.path, stack.path),
            file=_shown(stack.file, stack.path),
            source=stack.source,
            provider=placement.provider if placement else None,
            region=placement.region if placement else None,
            country=placement.country if placement else None,
            status=status,
            duration_seconds=round(time.monotonic() - started, 3),
            **fields,
        )

    try:
        declared = stack_placement(stack.path, catalog)
        placement = declared
        plan = refresh(_stack_env(stack, opts, catalog), deadline, phase)
        if isinstance(plan.get("terraform_version"), str):
            versions.append(plan["terraform_version"])
        configured = _configured_placement(plan, catalog)
        drifted = [_resource(stack, d, declared, configured, catalog) for d in read_drift(plan)]
        drifted, _expired = apply_ignore_rules(drifted, opts.ignore_rules, today)
        placement = declared or configured or _common_placement(drifted)
        status = "drift" if any(not r.ignored for r in drifted) else "in_sync"
        return result(status=status, resources_checked=managed_addresses(plan), drift=drifted)
    except FedstackError as exc:
        return result(status="error", error=_short(str(exc)))
    except Exception as exc:  # noqa: BLE001 - one stack's bug must not hide the others' results
        return result(status="error", error=_short(f"{type(exc).__name__}: {exc}"))


def _backend_env(stack: Stack, opts: DriftOptions) -> dict[str, str]:
    """The bridge address (and token) of a stack whose http backend leaves it to the caller."""
    if not opts.bridge_url:
        return {}
    identity = StackIdentity(stack.project, stack.name, "fedstack.json")
    env = bridge_backend_env(stack.path, identity, opts.bridge_url)
    token = config.setting("FEDSTACK_BRIDGE_TOKEN")
    if env and token and not config.setting("TF_HTTP_PASSWORD"):
        env |= {"TF_HTTP_USERNAME": "fedstack-drift", "TF_HTTP_PASSWORD": token}
    return env


def _refresh_only_plan(
    tf: Terraform,
    plan_file: Path,
    deadline: float,
    phase: Callable[[str], None],
    backend: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    def remaining() -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TerraformError(f"the stack's time limit ran out in {tf.workdir}")
        return left

    def plan() -> None:
        phase("plan")
        tf.timeout = remaining()
        tf.plan(out=plan_file, refresh_only=True, lock=False)

    initialised = (tf.workdir / ".terraform").is_dir()
    if not initialised:
        phase("init")
        tf.timeout = remaining()
        tf.init(backend_config=backend)
    try:
        plan()
    except TerraformError as exc:
        # A reused .terraform can be stale (new provider, module or backend): Terraform says
        # to run init; do that once and plan again.
        if (
            not initialised
            or "terraform init" not in str(exc).lower()
            and "init" not in _summaries(exc)
        ):
            raise
        phase("init")
        tf.timeout = remaining()
        tf.init(backend_config=backend)
        plan()
    phase("show")
    tf.timeout = remaining()
    return tf.show_json(plan_file)


def _summaries(exc: TerraformError) -> str:
    return " ".join(f"{d.summary} {d.detail}" for d in exc.diagnostics).lower()


def _resource(
    stack: Stack,
    drifted: DriftedResource,
    declared: Placement | None,
    configured: Placement | None,
    catalog: Catalog,
) -> ResourceDrift:
    found = declaration_line(stack.path, drifted.address, drifted.type, drifted.name)
    location = (
        SourceLocation(file=_shown(found[0], stack.path), line=found[1])
        if found
        else SourceLocation(file=_shown(stack.file, stack.path))
    )
    own = (
        placement_for_region(catalog, drifted.region_attribute)
        if drifted.region_attribute
        else None
    )
    # fedstack.json outranks what a resource says; a resource's own region outranks the provider's.
    chosen = declared or own or configured
    return ResourceDrift(
        address=drifted.address,
        type=drifted.type,
        name=drifted.name,
        module=drifted.module,
        terraform_provider=drifted.terraform_provider,
        kind=drifted.kind,
        provider=chosen.provider if chosen else None,
        region=chosen.region if chosen else None,
        country=chosen.country if chosen else None,
        changes=drifted.changes,
        location=location,
    )


def _configured_placement(plan: dict[str, Any], catalog: Catalog) -> Placement | None:
    """The placement of the provider configurations' region, when they agree on one."""
    found = {placement_for_region(catalog, region) for region in provider_regions(plan)}
    return found.pop() if len(found) == 1 else None


def _common_placement(resources: list[ResourceDrift]) -> Placement | None:
    found = {
        (r.provider, r.region, r.country)
        for r in resources
        if r.provider and r.region and r.country
    }
    if len(found) != 1:
        return None
    provider, region, country = found.pop()
    return Placement(provider, region, country)  # type: ignore[arg-type]


def _summary(results: list[StackResult]) -> Summary:
    drift = [r for stack in results for r in stack.drift]
    return Summary(
        stacks=len(results),
        in_sync=sum(s.status == "in_sync" for s in results),
        drifted=sum(s.status == "drift" for s in results),
        errored=sum(s.status == "error" for s in results),
        resources_drifted=sum(not r.ignored for r in drift),
        resources_ignored=sum(r.ignored for r in drift),
    )


def _shown(path: Path, stack: Path) -> str:
    """`path` as reports show it: relative to the repository holding `stack`, else to the working
    directory (when below it), else to the folder holding `stack`; never an absolute path, so a
    report names the same file on every machine and leaks no temporary folder."""
    target, folder = path.resolve(), stack.resolve()
    cwd = Path.cwd().resolve()
    bases = [_repository(folder), cwd if cwd != Path(cwd.anchor) else None, folder.parent]
    for base in bases:
        if base is not None and target.is_relative_to(base) and target != base:
            return target.relative_to(base).as_posix()
    return Path(os.path.relpath(target, folder.parent)).as_posix()


def _repository(folder: Path) -> Path | None:
    """The nearest folder at or above `folder` with a `.git` (a folder, or a file in a worktree)."""
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def _short(message: str) -> str:
    message = " ".join(message.split())
    return message if len(message) <= _ERROR_LIMIT else message[: _ERROR_LIMIT - 1] + "…"
