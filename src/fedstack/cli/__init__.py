"""The `fedstack` command line: one verb per job, `--help` on each, one clear line per error."""

from __future__ import annotations

import sys

import click

import fedstack
from fedstack.cli._agent import agent
from fedstack.cli._bridge import bridge
from fedstack.cli._catalog import catalog
from fedstack.cli._demo import demo
from fedstack.cli._drift import drift
from fedstack.cli._exit import exit_provider
from fedstack.cli._inventory import inventory
from fedstack.cli._modules import modules
from fedstack.cli._output import stderr
from fedstack.cli._placement import plan_placement
from fedstack.cli._policy import policy
from fedstack.cli._provider import provider
from fedstack.cli._sandbox import sandbox
from fedstack.cli._stack import stack
from fedstack.cli._synth import deploy, destroy, synth
from fedstack.cli._token import token
from fedstack.cli._unmanaged import unmanaged
from fedstack.errors import FedstackError

__all__ = ["EXIT_INTERRUPTED", "EXIT_USAGE", "cli", "main"]

EXIT_USAGE = 64
"""Usage errors (unknown option, bad value): neither 0 nor the 2 that means drift or a failed rule."""
EXIT_INTERRUPTED = 130


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(fedstack.__version__, prog_name="fedstack")
def cli() -> None:
    """fedstack: one workload across European clouds, its state in one place, drift in CI.

    \b
    Examples:
      fedstack demo                 # the whole flow on the local sandbox cloud
      fedstack sandbox up           # start the sandbox providers (moto on loopback)
      fedstack sandbox status

    \b
    Exit codes (every command):
      0    ok
      1    an error (one line on stderr)
      2    drift found, or a policy rule failed
      64   usage error: unknown command or option, bad option value
      130  interrupted (Ctrl-C)
    """


cli.add_command(demo)
cli.add_command(sandbox)
cli.add_command(synth)
cli.add_command(deploy)
cli.add_command(destroy)
cli.add_command(plan_placement)
cli.add_command(policy)
cli.add_command(bridge)
cli.add_command(token)
cli.add_command(inventory)
cli.add_command(drift)
cli.add_command(stack)
cli.add_command(modules)
cli.add_command(catalog)
cli.add_command(provider)
cli.add_command(agent)
cli.add_command(unmanaged)
cli.add_command(exit_provider)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: FedstackError becomes one line on stderr and an exit code."""
    try:
        # Without standalone mode click returns the code of ctx.exit(N) instead of exiting.
        code = cli.main(args=argv, prog_name="fedstack", standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except click.exceptions.Abort:
        stderr.print("fedstack: interrupted")
        sys.exit(EXIT_INTERRUPTED)
    except click.UsageError as exc:
        exc.show()
        sys.exit(EXIT_USAGE)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except FedstackError as exc:
        print(f"fedstack: error: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        print("fedstack: interrupted", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)
