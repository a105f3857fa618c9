"""`fedstack provider install`: lay the Terraform provider out in a filesystem mirror."""

from __future__ import annotations

from pathlib import Path

import click

from fedstack.cli._output import print_json

__all__ = ["provider"]


@click.group()
def provider() -> None:
    """The fedstack Terraform provider (placement, policy, catalog and the bridge in HCL).

    \b
    Example:
      fedstack provider install
    """


@provider.command()
@click.option(
    "--mirror",
    type=click.Path(file_okay=False, path_type=Path),
    help="Filesystem mirror folder (default FEDSTACK_PROVIDER_MIRROR, else Terraform's implied "
    "local mirror ~/.terraform.d/plugins, or $XDG_DATA_HOME/terraform/plugins).",
)
@click.option("--json", "as_json", is_flag=True, help="Print what was installed as JSON.")
def install(mirror: Path | None, as_json: bool) -> None:
    """Install this fedstack version's provider into a mirror; print the source address to use.

    Terraform then installs it with no registry: `terraform init` finds the implied local
    mirror without any CLI config and writes real h1: hashes to .terraform.lock.hcl. With an
    explicit CLI config, add the printed provider_installation block. Installing again is
    harmless; another version sits beside this one.

    \b
    Examples:
      fedstack provider install
      fedstack provider install --mirror /srv/terraform-mirror
      FEDSTACK_PROVIDER_MIRROR=$PWD/mirror fedstack provider install --json
    """
    from fedstack.provider import SOURCE
    from fedstack.provider import install as install_provider

    installed = install_provider(mirror)
    if as_json:
        print_json(
            {
                "source": SOURCE,
                "version": installed.version,
                "mirror": str(installed.mirror),
                "executable": str(installed.executable),
                "implied_mirror": installed.implied,
                "provider_installation": installed.cli_config(),
            }
        )
        return
    click.echo(installed.source_line)
    click.echo(f"# fedstack provider {installed.version} installed at {installed.executable}")
    if installed.implied:
        click.echo("# Terraform's implied local mirror: no CLI config needed. With an explicit")
        click.echo("# CLI config (TF_CLI_CONFIG_FILE, ~/.terraformrc), add:")
    else:
        click.echo("# In your Terraform CLI config (TF_CLI_CONFIG_FILE, ~/.terraformrc), add:")
    click.echo(installed.cli_config().rstrip("\n"))
