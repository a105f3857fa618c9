"""The demo's steps, in order, with cleanup that runs however the run ends.

start sandbox + bridge -> placement -> synth -> deploy -> inventory -> out-of-band change ->
drift (posted to the bridge) -> URLs -> (--keep: wait for Ctrl-C) -> destroy -> stop.
Output goes to a DemoView; a KeyboardInterrupt at any step still destroys and stops.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import fedstack
from fedstack.catalog import Catalog, load_catalog
from fedstack.contracts import PlacementPlan
from fedstack.demo._changes import OutOfBandChange, change_out_of_band, sandbox_client
from fedstack.demo._environment import DemoEnvironment, demo_environment
from fedstack.errors import FedstackError

__all__ = ["DemoOptions", "DemoResult", "DemoView", "default_app", "run_demo"]

STEPS = 8


def default_app() -> Path:
    """examples/federated-webapp: of the source checkout, else the copy inside the package.

    The wheel ships the app as fedstack._demo_app, so `pip install` then `fedstack demo` works
    from any folder.
    """
    checkout = Path(fedstack.__file__).resolve().parents[2] / "examples" / "federated-webapp"
    if (checkout / "main.py").is_file():
        return checkout
    return Path(fedstack.__file__).resolve().parent / "_demo_app"


@dataclass(frozen=True)
class DemoOptions:
    """What to run: the app (its main.py), the policy, the DNS zone, and whether to keep it up."""

    app: Path = field(default_factory=default_app)
    policy: str = "eu-sovereign"
    zone: str = "webapp.example.eu"
    keep: bool = False
    parallelism: int = 4


@dataclass
class DemoResult:
    """What the run produced, for callers that want more than the printed output."""

    stacks: list[str] = field(default_factory=list)
    drift_exit_code: int | None = None
    run_url: str | None = None
    dashboard_url: str | None = None


class DemoView(Protocol):
    """Where the demo's output goes (the CLI renders with Rich: progress on stderr, results on stdout)."""

    def step(self, number: int, total: int, title: str) -> None:
        """A step begins."""

    def note(self, message: str) -> None:
        """A progress line."""

    def placement(self, plan: PlacementPlan) -> None:
        """Every component's placement, with the reasons each other candidate was refused."""

    def stacks_progress(
        self, action: str, stacks: list[str]
    ) -> contextlib.AbstractContextManager[Callable[[str, str], None]]:
        """A progress display for deploy/destroy/drift; yields the (stack, message) callback."""

    def stack_results(self, action: str, results: list[Any]) -> None:
        """One line per stack: ok, failed or skipped."""

    def inventory(self, page: dict[str, Any]) -> None:
        """The bridge's cross-provider inventory."""

    def changes(self, changes: list[OutOfBandChange]) -> None:
        """What was changed out of band."""

    def drift(self, markdown: str, exit_code: int, run_url: str | None) -> None:
        """The drift report (Markdown) and where the bridge keeps the run."""

    def ready(self, env: DemoEnvironment, run_url: str | None, keep: bool) -> None:
        """The dashboard's URL and how to log in; with keep, that Ctrl-C ends it."""


def run_demo(options: DemoOptions, view: DemoView) -> DemoResult:
    """Run the whole demo; whatever happens, destroy what was deployed and stop what was started."""
    from fedstack.policy import load_policy
    from fedstack.stacks import resolve_app

    # Bad input fails here, before anything is started.
    script = resolve_app(options.app)
    load_policy(options.policy)
    catalog = load_catalog()
    result = DemoResult()
    project = "webapp"
    view.step(1, STEPS, "sandbox providers and bridge")
    running = contextlib.ExitStack()
    deployed: list[Any] = []
    running.enter_context(_stop_signals_interrupt())
    try:
        env = running.enter_context(
            demo_environment(project, catalog.sandbox_providers(), on_step=view.note)
        )
        view.note(f"bridge at {env.bridge_url}, sandbox {', '.join(sorted(env.endpoints))}")
        _run_steps(options, view, script, catalog, env, env.home / "cdktf.out", deployed, result)
        if options.keep:
            view.note("kept running: press Ctrl-C to destroy and stop everything")
            threading.Event().wait()
    finally:
        with _interrupts_deferred(view):
            try:
                if deployed:
                    _destroy(options, view, catalog, env, deployed)
            finally:
                running.close()
    return result


def _run_steps(
    options: DemoOptions,
    view: DemoView,
    script: Path,
    catalog: Catalog,
    env: DemoEnvironment,
    outdir: Path,
    deployed: list[Any],
    result: DemoResult,
) -> None:
    from fedstack.client import BridgeClient
    from fedstack.policy import PRESETS
    from fedstack.stacks import read_stacks, run_app, run_stacks

    app_env = {
        "FEDSTACK_POLICY": options.policy,
        "WEBAPP_ZONE": options.zone,
        "FEDSTACK_BRIDGE_URL": env.bridge_url,
        # The app reads the sandbox endpoints from the demo's own sandbox state file.
        "FEDSTACK_HOME": str(env.home),
    }
    view.step(2, STEPS, f"placement under the {options.policy} policy")
    plan = _placement(script, app_env)
    view.placement(plan)
    where = _component_providers(plan)

    view.step(3, STEPS, "synthesize one stack per provider, state in the bridge")
    run_app(script, outdir, env=app_env)
    stacks = read_stacks(outdir)
    result.stacks = [s.name for s in stacks]
    view.note(f"{len(stacks)} stacks in {outdir}: {', '.join(result.stacks)}")
    _create_zone(catalog, env, where["dns_record"][0], options.zone)

    view.step(4, STEPS, "deploy (terraform apply, dependency order, in parallel)")
    deployed.extend(stacks)  # from here on a stack may hold resources: cleanup destroys them all
    tf_env = env.terraform_env()
    with view.stacks_progress("deploy", result.stacks) as on_event:
        results = run_stacks(
            stacks,
            "deploy",
            catalog=catalog,
            parallelism=options.parallelism,
            on_event=on_event,
            env=tf_env,
        )
    view.stack_results("deploy", results)
    failed = [r.stack for r in results if r.status != "ok"]
    if failed:
        raise FedstackError(
            f"the demo's deploy failed for {', '.join(failed)}; see the messages above"
        )

    view.step(5, STEPS, "cross-provider inventory (from the bridge)")
    # The bridge checks live state against the policy the placement used (admin token).
    with BridgeClient(env.bridge_url, env.admin_token) as admin:
        if options.policy in PRESETS:
            admin.set_project_policy(env.project, preset=options.policy)
        else:
            admin.set_project_policy(env.project, yaml=Path(options.policy).read_text())
    view.note(f"bridge checks project {env.project} against the {options.policy} policy")
    with BridgeClient(env.bridge_url, env.state_token) as client:
        for stack in stacks:
            if stack.provider and stack.region:
                client.set_placement(env.project, stack.name, stack.provider, stack.region)
        view.inventory(client.inventory(project=env.project, limit=500))

    view.step(6, STEPS, "out-of-band change (boto3, behind Terraform's back)")
    changes = change_out_of_band(
        catalog, env.endpoints, bucket=where["object_storage"], server=where["compute"]
    )
    view.changes(changes)

    view.step(7, STEPS, "drift (refresh-only plans, posted to the bridge)")
    result.drift_exit_code, result.run_url, markdown = _drift(
        options, view, catalog, env, outdir, result.stacks
    )
    view.drift(markdown, result.drift_exit_code, result.run_url)

    view.step(8, STEPS, "dashboard")
    result.dashboard_url = env.dashboard_url
    view.ready(env, result.run_url, options.keep)


def _placement(script: Path, app_env: dict[str, str]) -> PlacementPlan:
    from fedstack.stacks import AppError, plan_app

    plan, error = plan_app(script, env=app_env)
    if error is not None:
        raise error
    if plan is None:
        raise AppError(f"{script} never called app.synth(): no placement to show")
    return plan


def _component_providers(plan: PlacementPlan) -> dict[str, tuple[str, str]]:
    """First component of each capability -> (provider, component name)."""
    found: dict[str, tuple[str, str]] = {}
    for _workload, decision in plan.decisions():
        if decision.provider:
            found.setdefault(decision.capability, (decision.provider, decision.component))
    missing = {"object_storage", "compute", "dns_record"} - set(found)
    if missing:
        raise FedstackError(f"the demo app has no placed {', '.join(sorted(missing))} component")
    return found


def _create_zone(catalog: Catalog, env: DemoEnvironment, provider: str, zone: str) -> None:
    """The DNS zone belongs to whoever holds the domain: the demo makes it, as its owner would."""
    route53 = sandbox_client("route53", catalog, provider, env.endpoints[provider])
    route53.create_hosted_zone(Name=zone, CallerReference=f"fedstack-demo-{zone}")


def _drift(
    options: DemoOptions,
    view: DemoView,
    catalog: Catalog,
    env: DemoEnvironment,
    outdir: Path,
    names: list[str],
) -> tuple[int, str | None, str]:
    from fedstack.client import BridgeClient
    from fedstack.drift import (
        DriftOptions,
        app_ignore_rules,
        discover_stacks,
        render,
        run_drift,
    )

    stacks = discover_stacks([outdir])
    rules = app_ignore_rules(options.app)
    with view.stacks_progress("drift", names) as on_event:
        report = run_drift(
            stacks,
            DriftOptions(
                parallel=options.parallelism,
                ignore_rules=rules,
                env=env.terraform_env(),
                on_phase=on_event,
                catalog=catalog,
            ),
        )
    if report.interrupted:
        raise KeyboardInterrupt  # the running plans are stopped; the demo cleans up
    with BridgeClient(env.bridge_url, env.drift_token) as client:
        answer = client.post_drift_run(report)
    return report.exit_code, answer.get("url"), render(report, "md")


def _destroy(
    options: DemoOptions, view: DemoView, catalog: Catalog, env: DemoEnvironment, stacks: list[Any]
) -> None:
    from fedstack.stacks import run_stacks

    view.note("destroying what the demo deployed")
    with view.stacks_progress("destroy", [s.name for s in stacks]) as on_event:
        results = run_stacks(
            stacks,
            "destroy",
            catalog=catalog,
            parallelism=options.parallelism,
            on_event=on_event,
            env=env.terraform_env(),
        )
    view.stack_results("destroy", results)


@contextlib.contextmanager
def _stop_signals_interrupt() -> Iterator[None]:
    """Ctrl-C and SIGTERM raise KeyboardInterrupt, so cleanup runs however the demo is stopped.

    A process started in the background by a shell inherits SIGINT ignored, and Python then
    installs no handler: without this, Ctrl-C sent to the process group would do nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(*_: object) -> None:
        raise KeyboardInterrupt

    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextlib.contextmanager
def _interrupts_deferred(view: DemoView) -> Iterator[None]:
    """While cleaning up, a further Ctrl-C or SIGTERM only says to wait (a half-done cleanup helps nobody)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def wait(*_: object) -> None:
        view.note("still cleaning up; please wait")

    previous = {sig: signal.signal(sig, wait) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
