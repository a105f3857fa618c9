"""`fedstack exit PROVIDER [APP] --plan-only`: what leaving a provider means for an app.

Places the app as it stands and with PROVIDER (or one of its regions) excluded, through the
one placement engine (`fedstack.exit.plan_exit`), and prints the moves, the stays, what cannot
move and why, and the data to copy. Nothing here imports cdktf.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

import click

from fedstack.cli._output import BRIDGE_URL, print_json, stderr, stdout

if TYPE_CHECKING:
    from fedstack.catalog import Catalog
    from fedstack.exit import ExitPlan, ExitRun, OnStep, StepRecord

__all__ = ["exit_provider"]


@click.command("exit")
@click.argument("provider")
@click.argument("app", default=".", type=click.Path(exists=True, path_type=Path))
@click.option("--region", help="Leave only this region of PROVIDER (default: all its regions).")
@click.option(
    "--policy",
    help="The policy the app places under (sets FEDSTACK_POLICY for apps that read it).",
)
@click.option("--plan-only", is_flag=True, help="Print the exit plan and change nothing.")
@click.option(
    "--keep-old",
    is_flag=True,
    help="Keep the old stacks after the move; run again without it to destroy them.",
)
@click.option(
    "--part-size",
    type=click.IntRange(5, 5 * 1024),
    default=16,
    show_default=True,
    metavar="MIB",
    help="Copy objects larger than this many MiB as multipart uploads in parts this size "
    "(S3's minimum part is 5 MiB).",
)
@click.option(
    "--bridge",
    envvar="FEDSTACK_BRIDGE_URL",
    type=BRIDGE_URL,
    help="Record every step in this bridge's audit log, under each stack of the exit "
    "(default: FEDSTACK_BRIDGE_URL; token from FEDSTACK_BRIDGE_TOKEN or TF_HTTP_PASSWORD).",
)
@click.option(
    "--estate",
    is_flag=True,
    help="Plan for a plain Terraform estate: the resources the bridge's inventory places at "
    "PROVIDER, not an app (needs --bridge and --plan-only; policy default eu-data-residency).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the exit plan (or the steps) as JSON.")
def exit_provider(
    provider: str,
    app: Path,
    region: str | None,
    policy: str | None,
    plan_only: bool,
    keep_old: bool,
    part_size: int,
    bridge: str | None,
    estate: bool,
    as_json: bool,
) -> None:
    """Move APP off PROVIDER: new placements under the policy, with PROVIDER excluded.

    Every component placed at PROVIDER gets a new placement from the same placement engine
    (with the same reasons for every refused candidate); a component that has no candidate
    under the policy is named with the rule that refused the last ones. Object stores are
    measured at their provider (sandbox endpoints) for the data-to-copy estimate.

    Without --plan-only the exit is carried out, step by step: synth, deploy the new stacks
    beside the old, copy the object stores (checksums verified, objects over --part-size in
    parts, metadata and tags kept), re-apply the stacks that read moved
    outputs (DNS records), check (drift-free, data verified, policy), write the exclusion to
    fedstack.exits.json next to the app, destroy the old stacks (or --keep-old). Steps are
    recorded in .fedstack-exit/ next to the app: a rerun resumes, a finished exit is a no-op.

    Exit codes: 0 the exit is possible (or nothing sits at PROVIDER), 2 some component cannot
    move, 1 an error.

    \b
    Examples:
      fedstack exit sandbox-fr examples/federated-webapp --plan-only
      fedstack exit sandbox-de main.py --region de-fra --plan-only --json | jq .moves
      fedstack exit sandbox-fr . --policy eu-data-residency --plan-only
      fedstack exit sandbox-fr main.py --keep-old --bridge http://127.0.0.1:8700
      fedstack exit sandbox-fr --estate --bridge http://127.0.0.1:8700 --plan-only
    """
    from fedstack.catalog import load_catalog
    from fedstack.exit import ExitBlocked, estimate_data, plan_exit
    from fedstack.sandbox import Sandbox
    from fedstack.stacks import resolve_app

    catalog = load_catalog()
    known = catalog.providers.get(provider)
    if known is None:
        raise click.BadParameter(
            f"{provider!r} is not in the catalog ({', '.join(catalog.providers)})",
            param_hint="PROVIDER",
        )
    if region is not None and region not in known.regions:
        raise click.BadParameter(
            f"{provider} has no region {region!r} ({', '.join(known.regions)})",
            param_hint="--region",
        )
    if estate:
        _plan_estate(provider, region, policy, plan_only, bridge, as_json)
        return
    script = resolve_app(app)
    env = {"FEDSTACK_POLICY": policy} if policy else {}
    if not plan_only:
        run = _carry_out(
            script, provider, region, catalog, keep_old, part_size * 1024 * 1024, bridge, env
        )
        if as_json:
            print_json(run.to_json())
        elif run.noop:
            stdout.print(f"nothing of the app is placed at {run.leaving}: nothing to do")
        else:
            stdout.print(f"left {run.leaving}: {len(run.done)} step(s) finished", soft_wrap=True)
        return
    with stderr.status(f"placing {script.name} with and without {provider}"):
        plan, _ = plan_exit(script, provider, region, env=env)
        estimate_data(plan, catalog, Sandbox().endpoints())
    if as_json:
        print_json(plan.to_json())
    else:
        _print_plan(plan)
    if not plan.possible:
        raise ExitBlocked(plan.summary())


def _plan_estate(
    provider: str,
    region: str | None,
    policy: str | None,
    plan_only: bool,
    bridge: str | None,
    as_json: bool,
) -> None:
    from fedstack.catalog import load_catalog
    from fedstack.client import BridgeClient, bridge_token
    from fedstack.exit import ExitBlocked, inventory_at, plan_estate_exit
    from fedstack.policy import load_policy

    if not plan_only:
        raise click.UsageError("an estate without an app can only be planned: add --plan-only")
    if not bridge:
        raise click.UsageError("--estate reads the bridge's inventory: give --bridge URL")
    rules = load_policy(policy or "eu-data-residency")
    with BridgeClient(bridge, bridge_token()) as client:
        items = inventory_at(client, provider)
    plan = plan_estate_exit(items, load_catalog(), rules, provider, region)
    if as_json:
        print_json(plan.to_json())
    else:
        for r in plan.resources:
            where = f"-> {r.target} ({', '.join(r.modules)})" if r.target else "cannot move"
            stdout.print(
                f"{r.project}/{r.stack} {r.address} ({r.type}) {where}: {r.needs}", soft_wrap=True
            )
        stdout.print(plan.summary(), soft_wrap=True)
    if plan.blocked:
        raise ExitBlocked(plan.summary())


def _carry_out(
    script: Path,
    provider: str,
    region: str | None,
    catalog: Catalog,
    keep_old: bool,
    part_size: int,
    bridge: str | None,
    env: dict[str, str],
) -> ExitRun:
    from fedstack.client import BridgeClient, bridge_token
    from fedstack.exit import bridge_recorder, carry_out_exit
    from fedstack.sandbox import Sandbox

    with contextlib.ExitStack() as scope:
        hooks: list[OnStep] = []
        if bridge:
            env = {**env, "FEDSTACK_BRIDGE_URL": bridge}  # the app's stacks keep state there
            client = scope.enter_context(BridgeClient(bridge, bridge_token()))
            hooks.append(bridge_recorder(client))

        def on_step(run: ExitRun, name: str, step: StepRecord) -> None:
            stderr.print(f"exit {name}: {step.detail} ({step.seconds:.1f} s)", soft_wrap=True)
            for hook in hooks:
                hook(run, name, step)

        return carry_out_exit(
            script,
            provider,
            region,
            catalog=catalog,
            endpoints=Sandbox().endpoints(),
            keep_old=keep_old,
            part_size=part_size,
            env=env,
            on_step=on_step,
        )


def _print_plan(plan: ExitPlan) -> None:
    stderr.print(f"project {plan.project}, policy {plan.policy}, leaving {plan.leaving}")
    for m in plan.moves:
        also = " (knock-on: it follows a moved component)" if m.knock_on else ""
        stdout.print(
            f"move   {m.workload}/{m.component} ({m.capability}) {m.source} -> {m.target}: "
            f"{m.why}{also}",
            soft_wrap=True,
        )
    for s in plan.stays:
        stdout.print(
            f"stay   {s.workload}/{s.component} ({s.capability}) at {s.at}", soft_wrap=True
        )
    for b in plan.blocked:
        stdout.print(
            f"cannot {b.workload}/{b.component} ({b.capability}) at {b.at}: {b.why}",
            soft_wrap=True,
        )
    for d in plan.data:
        amount = f"{d.objects} object(s), {d.bytes} byte(s) in {d.bucket}" if d.bucket else d.note
        stdout.print(f"data   {d.workload}/{d.component}: {amount}", soft_wrap=True)
    if plan.possible:
        stdout.print(plan.summary(), soft_wrap=True)
