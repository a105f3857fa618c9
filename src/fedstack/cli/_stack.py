"""`fedstack stack show|set-placement|env`: a stack's identity, and its placement recorded on the bridge."""

from __future__ import annotations

from pathlib import Path

import click

from fedstack import config
from fedstack.cli._output import BRIDGE_URL, print_json, stderr, stdout

__all__ = ["stack"]


@click.group()
def stack() -> None:
    """A stack's identity (project/stack, as the bridge knows it) and its placement.

    \b
    Examples:
      fedstack stack show stacks/
      fedstack stack set-placement stacks/ --bridge http://127.0.0.1:8700
      eval "$(fedstack stack env stacks/storage-fr)" && terraform -chdir=stacks/storage-fr plan
    """


@stack.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the stacks as JSON.")
def show(paths: tuple[Path, ...], as_json: bool) -> None:
    """Print each stack's identity (project/stack), where it comes from, and its fedstack.json.

    The identity comes from the stack's http backend address (`.../v1/states/<project>/<stack>`
    in HCL, a -backend-config recorded by init, a *.tfbackend file, or TF_HTTP_ADDRESS), else
    fedstack.json's project and stack, else the folder's name.

    \b
    Examples:
      fedstack stack show .
      fedstack stack show stacks/ --json
    """
    rows = [_describe(s) for s in _stacks(paths)]
    if as_json:
        print_json(rows)
        return
    for row in rows:
        place = f"{row['provider']} {row['region']}" if row["provider"] else "no fedstack.json"
        stdout.print(f"{row['identity']}\t{row['source']}\t{place}\t{row['path']}")


@stack.command("set-placement")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--bridge",
    envvar="FEDSTACK_BRIDGE_URL",
    type=BRIDGE_URL,
    help="The bridge (default: FEDSTACK_BRIDGE_URL); token from FEDSTACK_BRIDGE_TOKEN or TF_HTTP_PASSWORD (state:write).",
)
def set_placement(paths: tuple[Path, ...], bridge: str | None) -> None:
    """Record on the bridge where each stack runs, from its fedstack.json (provider, region).

    Stacks without fedstack.json or without a project in their identity are skipped, with a
    line saying so. `fedstack drift --bridge` does the same when its token may write states.

    \b
    Examples:
      fedstack stack set-placement .
      fedstack stack set-placement stacks/ --bridge http://127.0.0.1:8700
    """
    from fedstack.client import BridgeClientError, bridge_token
    from fedstack.drift import put_placements

    url = bridge or config.bridge_url()
    if not url:
        raise click.UsageError("name the bridge: --bridge URL or FEDSTACK_BRIDGE_URL")
    wanted: list[tuple[str, str, str, str]] = []
    for row in (_describe(s) for s in _stacks(paths)):
        project, name, provider, region = (
            row["project"],
            row["stack"],
            row["provider"],
            row["region"],
        )
        if not provider or not region:
            stderr.print(f"{row['identity']}: no fedstack.json placement, skipped")
        elif not project or not name:
            stderr.print(f"{row['identity']}: no project (no bridge backend address), skipped")
        else:
            wanted.append((project, name, provider, region))
    outcomes = put_placements(url, wanted, token=bridge_token())
    for name, outcome in outcomes:
        shown = (
            "the bridge holds no state for it yet: apply first" if outcome == "unknown" else outcome
        )
        stdout.print(f"{name}: {shown}")
    if any(o.startswith("refused") or o == "unknown" for _, o in outcomes):
        raise BridgeClientError("some placements were not recorded (see above)")


@stack.command()
@click.argument("path", default=".", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--bridge",
    envvar="FEDSTACK_BRIDGE_URL",
    type=BRIDGE_URL,
    help="The bridge holding the stack's state (default: FEDSTACK_BRIDGE_URL).",
)
def env(path: Path, bridge: str | None) -> None:
    """Print the TF_HTTP_* exports that point a stack's `backend "http" {}` at the bridge.

    The state address is the bridge's state of the stack's identity (as `fedstack stack show`
    prints it), so plain `terraform init/plan` in CI needs no per-stack TF_HTTP_ADDRESS. Prints
    nothing (and says why on stderr) when the stack's backend names its own address. The token
    is never printed: set TF_HTTP_PASSWORD yourself.

    \b
    Example:
      eval "$(fedstack stack env stacks/storage-fr --bridge http://127.0.0.1:8700)"
      terraform -chdir=stacks/storage-fr init && terraform -chdir=stacks/storage-fr plan
    """
    import shlex

    from fedstack.stacks import StackIdentity, bridge_backend_env

    url = bridge or config.bridge_url()
    if not url:
        raise click.UsageError("name the bridge: --bridge URL or FEDSTACK_BRIDGE_URL")
    found = _stacks((path,))
    if len(found) != 1:
        raise click.UsageError(f"{path} holds {len(found)} stacks; name one stack folder")
    (one,) = found
    identity = StackIdentity(one.project, one.name, "fedstack.json")
    exports = bridge_backend_env(one.path, identity, url)
    if not exports:
        stderr.print(
            f"{one.path}: nothing to set (no http backend, an address of its own, or no project)",
            markup=False,
        )
    for key, value in exports.items():
        click.echo(f"export {key}={shlex.quote(value)}")


def _stacks(paths: tuple[Path, ...]):  # type: ignore[no-untyped-def]
    from fedstack.drift import discover_stacks

    return discover_stacks(list(paths) or [Path(".")])


def _describe(found) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    from fedstack.catalog import load_catalog
    from fedstack.contracts import read_stack_names, stack_placement
    from fedstack.stacks import stack_identity

    identity = stack_identity(found.path, names=read_stack_names(found.path))
    placement = stack_placement(found.path, load_catalog())
    return {
        "identity": f"{found.project}/{found.name}" if found.project else found.name,
        "project": found.project,
        "stack": found.name,
        "source": identity.source,
        "provider": placement.provider if placement else None,
        "region": placement.region if placement else None,
        "path": found.path.as_posix(),
    }
