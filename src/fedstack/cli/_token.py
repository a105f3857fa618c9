"""`fedstack token create|list|revoke`: bridge tokens, shown once and stored hashed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import click

from fedstack.cli._output import print_json, stderr, stdout

__all__ = ["token"]

_SCOPES = ["inventory:read", "state:read", "state:write", "drift:write", "admin"]
_DB = click.option(
    "--db",
    "db_url",
    envvar="FEDSTACK_DB",
    help="Bridge database URL (FEDSTACK_DB); default the SQLite file under FEDSTACK_HOME.",
)


class _Expiry(click.ParamType):
    """`--expires`: a duration (30d, 12h, 90m) from now, or an ISO date or time (UTC)."""

    name = "expiry"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, datetime):
            return value
        from fedstack.contracts import parse_expiry
        from fedstack.errors import ConfigError

        try:
            return parse_expiry(str(value))
        except ConfigError as exc:
            self.fail(str(exc), param, ctx)


@click.group()
def token() -> None:
    """Manage bridge tokens (written straight to the bridge's database).

    \b
    Examples:
      fedstack token create --project shop --scope state:write
      fedstack token create --project shop --scope state:read --expires 30d
      fedstack token create --project '*' --scope admin --description "ops team" --expires 2027-01-31
      fedstack token list --json
      fedstack token revoke 3f9c0a12b4de
    """


def _engine(db_url: str | None):  # type: ignore[no-untyped-def]
    from fedstack.bridge import default_db_url
    from fedstack.bridge.store import migrate, open_engine

    engine = open_engine(db_url or default_db_url())
    migrate(engine)
    return engine


@token.command()
@click.option(
    "--project", required=True, help="Project the token works on ('*' for every project)."
)
@click.option("--scope", required=True, type=click.Choice(_SCOPES), help="What the token may do.")
@click.option("--description", default="", help="A note on who or what uses the token.")
@click.option(
    "--expires",
    "expires_at",
    type=_Expiry(),
    metavar="30d|12h|90m|DATE",
    help="When the token stops working: 30d, 12h or 90m from now, or a date (00:00 UTC that "
    "day) or ISO time such as 2027-01-31T18:00Z. Default: never.",
)
@_DB
@click.option("--json", "as_json", is_flag=True, help="Print the token as JSON.")
def create(
    project: str,
    scope: str,
    description: str,
    expires_at: datetime | None,
    db_url: str | None,
    as_json: bool,
) -> None:
    """Create a token and print it once; only its hash is stored.

    \b
    Examples:
      export TF_HTTP_USERNAME=fedstack
      export TF_HTTP_PASSWORD=$(fedstack token create --project shop --scope state:write)
      fedstack token create --project shop --scope state:read --expires 12h --json
    """
    from fedstack.bridge.store import create_token

    new = create_token(_engine(db_url), project, scope, description, expires_at=expires_at)
    expiry = f"{new.expires_at:%Y-%m-%d %H:%M} UTC" if new.expires_at else None
    if as_json:
        print_json(
            {
                "id": new.id,
                "project": new.project,
                "scope": new.scope,
                "expires_at": new.expires_at.isoformat() if new.expires_at else None,
                "token": new.secret,
            }
        )
        return
    stdout.print(new.secret)
    until = f", expires {expiry}" if expiry else ""
    stderr.print(f"token {new.id} ({new.scope} on {new.project}{until}): shown once, store it now")


@token.command(name="list")
@_DB
@click.option("--json", "as_json", is_flag=True, help="Print the tokens as JSON.")
def list_(db_url: str | None, as_json: bool) -> None:
    """List tokens (ids, projects, scopes, expiry; never secrets).

    \b
    Examples:
      fedstack token list
      fedstack token list --db postgresql://u:p@db/fedstack --json
    """
    from rich.table import Table

    from fedstack.bridge.store import list_tokens

    found = list_tokens(_engine(db_url))
    if as_json:
        print_json(found)
        return
    table = Table("id", "project", "scope", "description", "created", "expires", "revoked")
    now = datetime.now(UTC)
    for t in found:
        table.add_row(
            *(str(t[k]) for k in ("id", "project", "scope", "description")),
            _when(t["created_at"]),
            _expires(t["expires_at"], now),
            _when(t["revoked_at"]),
        )
    stdout.print(table)


def _when(moment: object) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if isinstance(moment, datetime) else ""


def _expires(moment: object, now: datetime) -> str:
    if not isinstance(moment, datetime):
        return "never"
    return _when(moment) + (" (expired)" if moment <= now else "")


@token.command()
@click.argument("token_id")
@_DB
def revoke(token_id: str, db_url: str | None) -> None:
    """Revoke a token by its id (the part after `fst_`).

    \b
    Example:
      fedstack token list               # find the id
      fedstack token revoke 3f9c0a12b4de
    """
    from fedstack.bridge.store import revoke_token
    from fedstack.errors import ConfigError

    if not revoke_token(_engine(db_url), token_id):
        raise ConfigError(f"no active token with id {token_id!r} (see `fedstack token list`)")
    stdout.print(f"revoked {token_id}")
