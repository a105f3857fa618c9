"""Carry an exit out, in an order that never loses data or service, resumable at every step.

synth (old and new placement) -> deploy the new stacks beside the old -> copy the object
stores' data -> re-apply the stacks that stay but read moved outputs (DNS records) -> check
(refresh-only drift of the new stacks, the copies verified; the new synth passed the policy)
-> write the exit lock -> destroy the old stacks (or keep them). Each finished step is
recorded in a step file under `.fedstack-exit/` next to the app, so a rerun resumes after the
last finished one and copies nothing twice; a finished exit makes the next run a no-op.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from fedstack.catalog import Catalog
from fedstack.client import BridgeClient
from fedstack.contracts import ExitRecord, read_exit_lock, write_exit_lock
from fedstack.exit._copy import DEFAULT_PART_SIZE, CopyJournal, copy_bucket, verify_copy
from fedstack.exit._estimate import bucket_of
from fedstack.exit._plan import ExitBlocked, ExitError, Move, plan_exit

__all__ = ["STEPS", "ExitRun", "OnStep", "StepRecord", "bridge_recorder", "carry_out_exit"]

STEPS = ("synth", "deploy-new", "copy", "repoint", "check", "lock", "destroy-old")
"""The steps of an exit, in order."""

OnStep = Callable[["ExitRun", str, "StepRecord"], None]
"""Hears each step (the run, its name, its record) once it is finished and recorded."""


@dataclass
class StepRecord:
    """One finished step: how long it took and what it did."""

    seconds: float
    detail: str


@dataclass
class ExitRun:
    """The steps of one exit (the ones finished before a resume included)."""

    leaving: str
    plan: dict[str, Any]
    old_stacks: list[str] = field(default_factory=list)
    new_stacks: list[str] = field(default_factory=list)
    done: dict[str, StepRecord] = field(default_factory=dict)
    finished: bool = False
    noop: bool = False
    resumed_at: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The step file's and `fedstack exit --json`'s form."""
        return {
            "leaving": self.leaving,
            "plan": self.plan,
            "old_stacks": self.old_stacks,
            "new_stacks": self.new_stacks,
            "steps": {name: vars(step) for name, step in self.done.items()},
            "finished": self.finished,
            "noop": self.noop,
            "resumed_at": self.resumed_at,
        }


def _slug(leaving: str) -> str:
    return leaving.replace("/", "_")


def _load(file: Path) -> ExitRun | None:
    if not file.is_file():
        return None
    try:
        raw = json.loads(file.read_text())
        run = ExitRun(raw["leaving"], raw["plan"], raw["old_stacks"], raw["new_stacks"])
        run.done = {k: StepRecord(**v) for k, v in raw["steps"].items()}
        run.finished = bool(raw["finished"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ExitError(f"{file}: not an exit step file: {exc}") from None
    return run


def _save(file: Path, run: ExitRun) -> None:
    file.parent.mkdir(parents=True, exist_ok=True)
    partial = file.with_suffix(".partial")
    partial.write_text(json.dumps(run.to_json(), indent=2) + "\n")
    partial.replace(file)


def carry_out_exit(
    app: Path,
    provider: str,
    region: str | None,
    *,
    catalog: Catalog,
    endpoints: Mapping[str, str],
    keep_old: bool = False,
    part_size: int = DEFAULT_PART_SIZE,
    env: Mapping[str, str] | None = None,
    on_step: OnStep | None = None,
) -> ExitRun:
    """Leave `provider` (or its `region`): resume a started exit, else plan and start one.

    Objects larger than `part_size` bytes are copied as multipart uploads in parts that size.
    """
    leaving = f"{provider}/{region}" if region else provider
    work = app.parent / ".fedstack-exit" / _slug(leaving)
    step_file = work / "steps.json"
    run = _load(step_file)
    if run is not None and run.finished and not keep_old:
        kept = run.done.get(STEPS[-1])
        if kept is not None and kept.detail.startswith("kept"):
            # The user confirms a --keep-old exit by running it again without the flag.
            del run.done[STEPS[-1]]
            run.finished = False
    if run is not None and not run.finished:
        run.resumed_at = next((s for s in STEPS if s not in run.done), None)
    else:
        plan, _ = plan_exit(app, provider, region, env=env)
        if not plan.possible:
            raise ExitBlocked(plan.summary())
        if plan.noop:
            done = run or ExitRun(leaving, plan.to_json())
            return ExitRun(leaving, plan.to_json(), done.old_stacks, done.new_stacks, noop=True)
        # A new exit: the journals of an earlier one name buckets that may be gone.
        shutil.rmtree(work, ignore_errors=True)
        run = ExitRun(leaving, plan.to_json())
        _save(step_file, run)
    context = _Context(app, work, run, catalog, endpoints, keep_old, part_size, dict(env or {}))
    for name in STEPS:
        if name in run.done:
            continue
        started = time.monotonic()
        detail = _STEP_FUNCTIONS[name](context)
        run.done[name] = StepRecord(round(time.monotonic() - started, 2), detail)
        run.finished = name == STEPS[-1]
        _save(step_file, run)
        if on_step is not None:
            on_step(run, name, run.done[name])
    return run


@dataclass
class _Context:
    app: Path
    work: Path
    run: ExitRun
    catalog: Catalog
    endpoints: Mapping[str, str]
    keep_old: bool
    part_size: int
    env: dict[str, str]

    @property
    def old_out(self) -> Path:
        return self.work / "old"

    @property
    def new_out(self) -> Path:
        return self.work / "new"

    def journal(self, move: Move) -> CopyJournal:
        return CopyJournal(self.work / f"copy-{move.workload}-{move.component}.jsonl")

    def moves(self) -> list[Move]:
        return [Move(**m) for m in self.run.plan["moves"]]

    def stacks(self, out: Path, names: list[str]) -> list[Any]:
        from fedstack.stacks import read_stacks

        return [s for s in read_stacks(out) if s.name in names]

    def apply(self, out: Path, names: list[str], action: Literal["deploy", "destroy"]) -> str:
        from fedstack.stacks import run_stacks

        if not names:
            return "nothing to " + action
        results = run_stacks(self.stacks(out, names), action, catalog=self.catalog)
        failed = [f"{r.stack}: {r.message}" for r in results if r.status != "ok"]
        if failed:
            raise ExitError(f"{action} failed for " + "; ".join(failed))
        return f"{action}: " + ", ".join(f"{r.stack} ({r.seconds:.1f} s)" for r in results)


def _synth(ctx: _Context) -> str:
    from fedstack.stacks import read_stacks, run_app

    run_app(ctx.app, ctx.old_out, env={**ctx.env, "FEDSTACK_EXIT_EXCLUDE": ""})
    # The new synth places under the policy with the provider excluded: a violation fails it.
    run_app(ctx.app, ctx.new_out, env={**ctx.env, "FEDSTACK_EXIT_EXCLUDE": ctx.run.leaving})
    ctx.run.old_stacks = [s.name for s in read_stacks(ctx.old_out)]
    ctx.run.new_stacks = [s.name for s in read_stacks(ctx.new_out)]
    return f"old {', '.join(ctx.run.old_stacks)}; new {', '.join(ctx.run.new_stacks)}"


def _deploy_new(ctx: _Context) -> str:
    fresh = [n for n in ctx.run.new_stacks if n not in ctx.run.old_stacks]
    return ctx.apply(ctx.new_out, fresh, "deploy")


def _clients(ctx: _Context, move: Move) -> tuple[Any, str, Any, str]:
    from fedstack.demo import sandbox_client

    ends = []
    for place in (move.source, move.target):
        provider = place.split("/", 1)[0]
        endpoint = ctx.endpoints.get(provider)
        if endpoint is None:
            raise ExitError(
                f"copying {move.component} needs the S3 endpoint of {provider}; "
                "only sandbox providers are known here"
            )
        s3 = sandbox_client("s3", ctx.catalog, provider, endpoint)
        bucket = bucket_of(s3, move.component)
        if bucket is None:
            raise ExitError(f"no bucket of component {move.component} at {provider}")
        ends += [s3, bucket]
    return ends[0], ends[1], ends[2], ends[3]


def _stores(ctx: _Context) -> list[Move]:
    return [m for m in ctx.moves() if m.capability == "object_storage"]


def _copy(ctx: _Context) -> str:
    lines = []
    for move in _stores(ctx):
        source, old, target, new = _clients(ctx, move)
        report = copy_bucket(source, old, target, new, ctx.journal(move), part_size=ctx.part_size)
        if report.problems:
            raise ExitError(f"copy of {move.component} not verified: {report.problems[0]}")
        lines.append(report.line())
    return "; ".join(lines) or "no object store moves"


def _repoint(ctx: _Context) -> str:
    # A stack that stays changes only where it reads a moved component's outputs (its remote
    # state now names the new stack) or lost a component that had to follow: apply just those.
    staying = [n for n in ctx.run.new_stacks if n in ctx.run.old_stacks]
    changed = [n for n in staying if _config(ctx.old_out, n) != _config(ctx.new_out, n)]
    unchanged = [n for n in staying if n not in changed]
    done = ctx.apply(ctx.new_out, changed, "deploy")
    return done + (f"; unchanged: {', '.join(unchanged)}" if unchanged else "")


def _config(out: Path, stack: str) -> Any:
    from fedstack.stacks import read_stacks

    [info] = [s for s in read_stacks(out) if s.name == stack]
    config = json.loads((info.workdir / "cdk.tf.json").read_text())
    config.pop("//", None)  # metadata about the synth run, not configuration
    return config


def _check(ctx: _Context) -> str:
    from fedstack.drift import DriftOptions, app_ignore_rules, discover_stacks, run_drift

    stacks = [s for s in discover_stacks([ctx.new_out]) if s.name in ctx.run.new_stacks]
    # The app's accepted drift (drift-ignore.yaml beside it) is accepted here too.
    options = DriftOptions(catalog=ctx.catalog, ignore_rules=app_ignore_rules(ctx.app))
    report = run_drift(stacks, options)
    if report.exit_code != 0:
        found = [
            f"{s.name}: {s.error}"
            if s.error
            else f"{s.name}: " + ", ".join(d.address for d in s.drift)
            for s in report.stacks
            if s.status != "in_sync"
        ]
        raise ExitError(
            f"the new stacks are not in sync (drift exit {report.exit_code}; "
            f"{'; '.join(found)}): the old stacks are kept; fix and rerun"
        )
    verified = 0
    for move in _stores(ctx):
        source, old, target, new = _clients(ctx, move)
        matched, problems = verify_copy(source, old, target, new, ctx.journal(move))
        if problems:
            raise ExitError(f"{move.component}: {problems[0]}; the old stacks are kept")
        verified += matched
    policy = ctx.run.plan["policy"]
    return (
        f"{len(stacks)} new stack(s) drift-free, {verified} object(s) verified, "
        f"policy {policy} passed at synth"
    )


def _lock(ctx: _Context) -> str:
    provider, _, region = ctx.run.leaving.partition("/")
    record = ExitRecord(
        provider=provider,
        region=region or None,
        at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    )
    file = write_exit_lock(ctx.app.parent, read_exit_lock(ctx.app.parent).with_exit(record))
    return f"{ctx.run.leaving} excluded in {file.name}"


def _destroy_old(ctx: _Context) -> str:
    gone = [n for n in ctx.run.old_stacks if n not in ctx.run.new_stacks]
    if ctx.keep_old:
        return f"kept (--keep-old): {', '.join(gone) or 'none'}"
    return ctx.apply(ctx.old_out, gone, "destroy")


_STEP_FUNCTIONS: dict[str, Callable[[_Context], str]] = {
    "synth": _synth,
    "deploy-new": _deploy_new,
    "copy": _copy,
    "repoint": _repoint,
    "check": _check,
    "lock": _lock,
    "destroy-old": _destroy_old,
}


def bridge_recorder(client: BridgeClient) -> OnStep:
    """An `on_step` that records each step in the bridge's audit log, under every stack of
    the exit (old and new), as `exit:<step>` with its duration and what it did."""

    def record(run: ExitRun, name: str, step: StepRecord) -> None:
        project = str(run.plan["project"])
        for stack in dict.fromkeys([*run.old_stacks, *run.new_stacks]):
            client.record_step(project, stack, f"exit:{name}", step.seconds, step.detail)

    return record
