"""`fedstack unmanaged`: resources at the providers that no stack manages.

The work lives in fedstack.unmanaged; this module turns options into a run and prints the
outcome: one line per provider and per finding on stderr/stdout, reports in --out.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

from fedstack import config
from fedstack.cli._output import stderr, stdout

if TYPE_CHECKING:
    from fedstack.unmanaged import UnmanagedReport

__all__ = ["unmanaged"]


class _WithCoverage(click.Command):
    """Appends the per-provider coverage table (from the catalog) to --help."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from fedstack.catalog import load_catalog
        from fedstack.unmanaged import coverage_table

        rows = coverage_table(load_catalog())
        with formatter.section("Coverage per provider (what is enumerated; credentials read)"):
            formatter.write_dl([(name, f"{kinds}; {keys}") for name, kinds, keys in rows])


def _comma_list(value: str) -> list[str]:
    from fedstack.errors import ConfigError
    from fedstack.unmanaged import KINDS

    kinds = [k.strip() for k in value.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        raise ConfigError(
            f"--type: unknown kind {', '.join(unknown) or repr(value)}; choose from "
            f"{', '.join(KINDS)} (comma-separated)"
        )
    return list(dict.fromkeys(kinds))


@click.command(cls=_WithCoverage)
@click.option(
    "--provider",
    "providers",
    multiple=True,
    metavar="P",
    help="Catalog provider (repeat; default: every provider).",
)
@click.option(
    "--region",
    "regions",
    multiple=True,
    metavar="R",
    help="Catalog region (repeat; default: every region).",
)
@click.option(
    "--type",
    "kinds",
    default="object_storage,compute,network,dns_record",
    show_default=True,
    metavar="LIST",
    help="Kinds to enumerate (comma-separated).",
)
@click.option(
    "--bridge",
    envvar="FEDSTACK_BRIDGE_URL",
    metavar="URL",
    help="The bridge whose inventory says what stacks manage (default: FEDSTACK_BRIDGE_URL; token from FEDSTACK_BRIDGE_TOKEN or TF_HTTP_PASSWORD).",
)
@click.option(
    "--post/--no-post",
    default=True,
    show_default=True,
    help="Store the run (findings with history) in the bridge; needs the drift:write scope.",
)
@click.option(
    "--format",
    "formats",
    default="md,json",
    show_default=True,
    metavar="LIST",
    help="Reports: md, json, sarif, junit, html (comma-separated) or all.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("unmanaged-report"),
    show_default=True,
    help="Folder the reports are written to.",
)
@click.option(
    "--ignore",
    "ignore_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="YAML ignore rules: address glob <provider>/<region>/<type>/<identifier>, reason, expires.",
)
def unmanaged(
    providers: tuple[str, ...],
    regions: tuple[str, ...],
    kinds: str,
    bridge: str | None,
    post: bool,
    formats: str,
    out_dir: Path,
    ignore_file: Path | None,
) -> None:
    """Find resources at the providers that no stack manages (made by hand or by other tools).

    Lists, per provider and region, what the provider's API holds (S3-compatible buckets through
    boto3 at each region's endpoint; on the sandbox also EC2 instances, VPCs and Route 53
    records) with the credentials Terraform uses, and reports each one the bridge's inventory
    does not hold, with provider, region, country, type and an `import` block (Terraform 1.5+)
    plus a resource skeleton. A provider without credentials is skipped with a line saying so;
    one whose API fails is an error of that provider only.

    Exit code: 0 nothing unmanaged, 2 unmanaged resources found, 1 an error (a provider failed,
    or the bridge could not be read).

    \b
    Examples:
      fedstack sandbox up
      fedstack unmanaged --bridge http://127.0.0.1:8700 --provider sandbox-fr
      fedstack unmanaged --type object_storage --region fr-par --format md,sarif --out reports/
      fedstack unmanaged --ignore unmanaged-ignore.yaml --format all
    """
    from fedstack.client import BridgeClient
    from fedstack.catalog import load_catalog
    from fedstack.unmanaged import (
        UnmanagedOptions,
        find_unmanaged,
        parse_formats,
    )

    wanted = parse_formats(formats)
    with BridgeClient(bridge) as client:
        options = UnmanagedOptions(
            bridge=client,
            kinds=_comma_list(kinds),
            providers=providers,
            regions=regions,
            ignore_file=ignore_file,
            environ=dict(os.environ),
            home=config.home(),
            progress=lambda line: stderr.print(line, markup=False),
        )
        report = find_unmanaged(load_catalog(), options)
        _show(report, wanted, out_dir)
        if post:
            answer = client.post_unmanaged_run(report)
            stderr.print(
                f"posted run {report.run_id} to the bridge: {answer.get('new', 0)} new, "
                f"{answer.get('gone', 0)} gone",
                markup=False,
            )
    click.get_current_context().exit(report.exit_code)


def _show(report: UnmanagedReport, wanted: list[str], out_dir: Path) -> None:
    """Print the findings and the summary line, and write the report files."""
    from fedstack.unmanaged import write_reports

    for finding in report.findings:
        note = f"  (ignored: {finding.ignore_reason})" if finding.ignored else ""
        stdout.print(
            f"unmanaged {finding.kind} {finding.resource_type} {finding.identifier} at "
            f"{finding.provider} {finding.region} ({finding.country or '—'}){note}",
            markup=False,
        )
    s = report.summary
    stdout.print(
        f"{s.found} unmanaged, {s.ignored} ignored; providers: {s.providers_checked} checked, "
        f"{s.providers_skipped} skipped, {s.providers_failed} failed; exit {report.exit_code}",
        markup=False,
    )
    for line in report.expired_rules:
        stdout.print(f"ignore rule no longer applied: {line}", markup=False)
    for fmt, path in write_reports(report, wanted, out_dir).items():
        stderr.print(f"{fmt} report: {path}", markup=False)
