"""Deploy or destroy stacks in dependency order, independent ones in parallel.

A stack whose dependency failed is skipped (and says why); every other stack still runs,
so one failure never hides the others' results. `init` is serialised by the runner.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Literal

from fedstack.catalog import Catalog
from fedstack.errors import FedstackError
from fedstack.sandbox import credentials_for
from fedstack.stacks._manifest import StackInfo
from fedstack.terraform import GRACE_SECONDS, Terraform, clear_interrupt, interrupt_all

__all__ = ["Action", "StackResult", "run_stacks"]

Action = Literal["deploy", "destroy"]
Status = Literal["ok", "failed", "skipped"]
OnEvent = Callable[[str, str], None]
"""Receives (stack name, message) for progress."""


@dataclass(frozen=True)
class StackResult:
    """What happened to one stack."""

    stack: str
    status: Status
    seconds: float
    message: str = ""


def run_stacks(
    stacks: list[StackInfo],
    action: Action,
    *,
    catalog: Catalog,
    parallelism: int = 4,
    on_event: OnEvent | None = None,
    env: Mapping[str, str] | None = None,
    on_interrupt: Callable[[list[str]], None] | None = None,
) -> list[StackResult]:
    """Apply (or destroy) every stack after the ones it needs, returning one result per stack."""
    names = {s.name for s in stacks}
    # Destroy runs the graph backwards: a stack goes after every stack that reads from it.
    waits_for: dict[str, set[str]] = {s.name: set() for s in stacks}
    for stack in stacks:
        for dep in stack.dependencies:
            if dep not in names:
                continue  # not selected: assumed deployed (or destroyed) already
            if action == "deploy":
                waits_for[stack.name].add(dep)
            else:
                waits_for[dep].add(stack.name)
    by_name = {s.name: s for s in stacks}
    results: dict[str, StackResult] = {}
    notify = on_event or (lambda _stack, _message: None)
    running: dict[Future[StackResult], str] = {}
    pool = ThreadPoolExecutor(max_workers=max(1, parallelism))
    try:
        _schedule(stacks, action, catalog, pool, waits_for, by_name, results, running, notify, env)
    except KeyboardInterrupt:
        # Ctrl-C: stacks not yet started never start; running Terraform gets SIGINT, then SIGKILL.
        # Submitted but still waiting for a pool worker counts as queued: cancel it too.
        cancelled = [name for future, name in running.items() if future.cancel()]
        waiting = [n for n in waits_for if n not in results and n not in running.values()]
        queued = sorted(cancelled + waiting)
        if queued and on_interrupt:
            on_interrupt([f"cancelled, not started: {', '.join(queued)}"])
        interrupt_all(
            on_waiting=lambda procs: (
                on_interrupt(
                    [
                        f"stopping {len(procs)} Terraform process(es), waiting up to "
                        f"{GRACE_SECONDS:g} s: " + "; ".join(procs)
                    ]
                )
                if on_interrupt
                else None
            )
        )
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        clear_interrupt()
    return [results[s.name] for s in stacks]


def _schedule(
    stacks: list[StackInfo],
    action: Action,
    catalog: Catalog,
    pool: ThreadPoolExecutor,
    waits_for: dict[str, set[str]],
    by_name: dict[str, StackInfo],
    results: dict[str, StackResult],
    running: dict[Future[StackResult], str],
    notify: OnEvent,
    env: Mapping[str, str] | None,
) -> None:
    """Start each stack once the ones it waits for succeeded, until every stack has a result."""
    while len(results) < len(stacks):
        progressed = False
        for name in [n for n in waits_for if n not in results and n not in running.values()]:
            blockers = waits_for[name]
            failed = [b for b in blockers if b in results and results[b].status != "ok"]
            if failed:
                results[name] = StackResult(
                    name,
                    "skipped",
                    0.0,
                    f"not run: {', '.join(sorted(failed))} did not succeed",
                )
                notify(name, results[name].message)
                progressed = True
            elif all(b in results for b in blockers):
                future = pool.submit(_run_one, by_name[name], action, catalog, notify, env or {})
                running[future] = name
                progressed = True
        if not running:
            if not progressed:
                stuck = sorted(n for n in waits_for if n not in results)
                raise FedstackError(f"stacks depend on each other in a cycle: {', '.join(stuck)}")
            continue
        done, _ = wait(list(running), return_when=FIRST_COMPLETED)
        for future in done:
            name = running.pop(future)
            results[name] = future.result()


def _run_one(
    stack: StackInfo, action: Action, catalog: Catalog, notify: OnEvent, env: Mapping[str, str]
) -> StackResult:
    started = time.monotonic()
    try:
        tf = Terraform(
            stack.workdir,
            env={**credentials_for(catalog, stack.provider), **env},
            on_message=lambda message: notify(stack.name, message),
        )
        notify(stack.name, "init")
        tf.init()
        notify(stack.name, "apply" if action == "deploy" else "destroy")
        if action == "deploy":
            tf.apply()
        else:
            tf.destroy()
    except FedstackError as exc:
        notify(stack.name, f"failed: {exc}")
        return StackResult(stack.name, "failed", time.monotonic() - started, str(exc))
    notify(stack.name, "done")
    return StackResult(stack.name, "ok", time.monotonic() - started)
