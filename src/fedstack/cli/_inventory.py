"""`fedstack inventory`: every resource of every stack across providers, from the bridge."""

from __future__ import annotations

import click

from fedstack.cli._output import BRIDGE_URL, print_json, stderr, stdout
from fedstack.config import DEFAULT_BRIDGE_URL

__all__ = ["inventory"]


@click.command()
@click.option(
    "--bridge",
    "url",
    envvar="FEDSTACK_BRIDGE_URL",
    type=BRIDGE_URL,
    default=DEFAULT_BRIDGE_URL,
    show_default=True,
    help="Bridge URL (FEDSTACK_BRIDGE_URL); the default is where `fedstack bridge serve` listens.",
)
@click.option(
    "--token",
    envvar="FEDSTACK_BRIDGE_TOKEN",
    help="Bridge token (FEDSTACK_BRIDGE_TOKEN, else TF_HTTP_PASSWORD).",
)
@click.option("--provider", help="Only this catalog provider.")
@click.option("--region", help="Only this catalog region.")
@click.option("--country", help="Only this ISO country code.")
@click.option("--type", "type_", help="Only this resource type, such as aws_s3_bucket.")
@click.option("--project", help="Only this project.")
@click.option("--stack", help="Only this stack.")
@click.option("-q", "--text", help="Text in the address or attributes.")
@click.option("--limit", default=100, show_default=True, type=click.IntRange(1, 1000))
@click.option(
    "--after",
    metavar="CURSOR",
    help="The page after this cursor (printed at the end of the previous page): keyset paging, "
    "as fast deep in the list as at its start.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the bridge's JSON answer.")
def inventory(
    url: str | None,
    token: str | None,
    provider: str | None,
    region: str | None,
    country: str | None,
    type_: str | None,
    project: str | None,
    stack: str | None,
    text: str | None,
    limit: int,
    after: str | None,
    as_json: bool,
) -> None:
    """List resources across every stack and provider (sensitive values masked).

    \b
    Examples:
      fedstack inventory --bridge http://127.0.0.1:8700
      fedstack inventory --country FR --type aws_s3_bucket
      fedstack inventory -q logs --json
      fedstack inventory --limit 1000 --after eyJw...   # the next page, as the last one said
    """
    from rich.table import Table

    from fedstack.client import BridgeClient

    with BridgeClient(url, token) as client:
        page = client.inventory(
            provider=provider,
            region=region,
            country=country,
            type=type_,
            project=project,
            stack=stack,
            q=text,
            limit=limit,
            after=after,
        )
    if as_json:
        print_json(page)
        return
    table = Table("project/stack", "address", "type", "provider", "region", "country")
    for item in page["items"]:
        table.add_row(
            f"{item['project']}/{item['stack']}",
            item["address"],
            item["type"],
            item["provider"] or "-",
            item["region"] or "-",
            item["country"] or "-",
        )
    stdout.print(table)
    shown = len(page["items"])
    # Past the bridge's count cap `total` is a lower bound (`total_exact` false).
    more = "+" if page.get("total_exact") is False else ""
    stderr.print(f"{shown} of {page['total']}{more} resources")
    if page.get("next_after"):
        stderr.print(f"next page: --after {page['next_after']}")
    for lag in page.get("trailing", []):
        # A state write is answered before its inventory is built; say when the listing is older.
        stderr.print(
            f"{lag['project']}/{lag['stack']}: inventory of version {lag['indexed_through']}, "
            f"state at version {lag['current_version']} (indexing)"
        )
    for skipped in page["unindexed"]:
        stderr.print(f"{skipped['project']}/{skipped['stack']}: {skipped['note']}")
