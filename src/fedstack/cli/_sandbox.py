"""`fedstack sandbox up|down|status`: the local sandbox cloud (moto servers on loopback)."""

from __future__ import annotations

import click
from rich.table import Table

from fedstack.cli._output import print_json, stderr, stdout
from fedstack.sandbox import Sandbox

__all__ = ["sandbox"]


@click.group()
def sandbox() -> None:
    """Run the sandbox cloud: one moto server per sandbox provider, on loopback.

    \b
    Examples:
      fedstack sandbox up                 # start sandbox-fr, sandbox-de, sandbox-nl, sandbox-it
      fedstack sandbox up -p sandbox-fr   # just one provider
      fedstack sandbox status --json
      fedstack sandbox down
    """


@sandbox.command()
@click.option(
    "-p",
    "--provider",
    "providers",
    multiple=True,
    help="Sandbox provider to start (repeatable); default: all in the catalog.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the servers as JSON.")
def up(providers: tuple[str, ...], as_json: bool) -> None:
    """Start the sandbox providers that are not running yet (idempotent).

    \b
    Examples:
      fedstack sandbox up
      fedstack sandbox up -p sandbox-fr -p sandbox-de --json
    """
    box = Sandbox()
    with stderr.status("starting sandbox providers..."):
        servers = box.up(list(providers) or None)
    if as_json:
        print_json({name: {"endpoint": s.endpoint, "pid": s.pid} for name, s in servers.items()})
        return
    for name, server in sorted(servers.items()):
        stdout.print(f"{name}\t{server.endpoint}\tpid {server.pid}")
    stderr.print(f"state: {box.state_file}")


@sandbox.command()
def down() -> None:
    """Stop exactly the servers `fedstack sandbox up` started.

    \b
    Example:
      fedstack sandbox down
    """
    stopped = Sandbox().down()
    if not stopped:
        stdout.print("no sandbox servers were running")
    for server in stopped:
        stdout.print(f"stopped {server.provider} ({server.endpoint}, pid {server.pid})")


@sandbox.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def status(as_json: bool) -> None:
    """Say which sandbox providers run where.

    \b
    Examples:
      fedstack sandbox status
      fedstack sandbox status --json
    """
    box = Sandbox()
    entries = box.status()
    if as_json:
        print_json(
            {
                e.server.provider: {
                    "endpoint": e.server.endpoint,
                    "pid": e.server.pid,
                    "running": e.running,
                    "started_at": e.server.started_at,
                }
                for e in entries
            }
        )
        return
    if not entries:
        stdout.print("the sandbox is not running (start it with `fedstack sandbox up`)")
        return
    table = Table("provider", "endpoint", "pid", "state", "started")
    for e in entries:
        table.add_row(
            e.server.provider,
            e.server.endpoint,
            str(e.server.pid),
            "running" if e.running else "not answering",
            e.server.started_at,
        )
    stdout.print(table)
