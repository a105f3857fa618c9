"""Bridge tokens over HTTP (admin): create one (shown once), read its metadata, revoke it.

The same store functions as `fedstack token ...`; the HTTP form exists for clients that have a
token but no database access, such as the Terraform provider's `fedstack_token` resource.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from fedstack.bridge._errors import BadRequest, NotFound
from fedstack.bridge._principal import SCOPES
from fedstack.bridge.api._deps import Caller, context
from fedstack.bridge.api._responses import errors
from fedstack.bridge.store import TokenInfo, api_time, create_token, list_tokens, revoke_token
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from fedstack.contracts import parse_duration
from fedstack.errors import ConfigError

__all__ = ["TokenRequest", "router"]

router = APIRouter(prefix="/v1/tokens", tags=["tokens"])
TokenId = Annotated[str, Path(pattern=r"^[a-z0-9]{12}$")]


class TokenRequest(BaseModel):
    """What a new token may do: a project (or `*`), a scope, a note and when it expires.

    Give at most one of `expires_at` (a moment with an offset) and `expires_in` (`30d`, `12h`,
    `90m`); with neither the token never expires.
    """

    model_config = ConfigDict(extra="forbid")
    project: str = Field(max_length=128, examples=["shop"])
    scope: str = Field(max_length=32, examples=["state:read"])
    description: str = Field(default="", max_length=256)
    expires_at: AwareDatetime | None = Field(default=None, examples=["2027-01-31T00:00:00Z"])
    expires_in: str | None = Field(
        default=None, max_length=8, pattern=r"^[0-9]+[dhm]$", examples=["30d"]
    )


class CreatedToken(BaseModel):
    """A new token: `token` is its secret, shown in this answer and never again."""

    id: str
    project: str
    scope: str
    description: str
    expires_at: str | None = Field(description="UTC, such as 2027-01-31T00:00:00Z; null: never")
    token: str


class TokenMetadata(BaseModel):
    """What the bridge keeps of a token (never its secret)."""

    id: str
    project: str
    scope: str
    description: str
    revoked: bool
    expires_at: str | None = Field(description="UTC, such as 2027-01-31T00:00:00Z; null: never")
    expired: bool


@router.post(
    "",
    status_code=201,
    summary="Create a token; its secret is in this answer only",
    response_model=CreatedToken,
)
async def create(body: TokenRequest, who: Caller, request: Request) -> dict[str, Any]:
    """A new token for `project` with `scope`; needs admin on that project."""
    # A token for every project (`*`) can only come from an admin of every project.
    who.require("admin", body.project)
    if body.scope not in SCOPES:
        raise BadRequest(f"unknown scope {body.scope!r}; use one of {', '.join(SCOPES)}")
    engine = context(request).engine
    try:
        new = await run_in_threadpool(
            create_token,
            engine,
            body.project,
            body.scope,
            body.description,
            expires_at=_expiry(body),
        )
    except ConfigError as exc:
        raise BadRequest(str(exc)) from None
    return {
        "id": new.id,
        "project": new.project,
        "scope": new.scope,
        "description": body.description,
        "expires_at": api_time(new.expires_at) if new.expires_at else None,
        "token": new.secret,
    }


def _expiry(body: TokenRequest) -> datetime | None:
    if body.expires_at is not None and body.expires_in is not None:
        raise ConfigError("give expires_at or expires_in, not both")
    if body.expires_in is not None:
        return datetime.now(UTC) + parse_duration(body.expires_in)
    return body.expires_at


@router.get(
    "/{token_id}",
    summary="One token's metadata (never its secret)",
    response_model=TokenMetadata,
    responses=errors(404),
)
def read(token_id: TokenId, who: Caller, request: Request) -> dict[str, Any]:
    """The token's project, scope, description, expiry and whether it is revoked or expired."""
    row = _token_or_404(request, token_id)
    who.require("admin", row.project)
    return _public(row)


@router.delete("/{token_id}", status_code=204, summary="Revoke a token", responses=errors(404))
def revoke(token_id: TokenId, who: Caller, request: Request) -> Response:
    """Revoke the token; 404 when there is no such active token."""
    row = _token_or_404(request, token_id)
    who.require("admin", row.project)
    if not revoke_token(context(request).engine, token_id):
        raise NotFound(f"token {token_id} is already revoked")
    return Response(status_code=204)


def _token_or_404(request: Request, token_id: str) -> TokenInfo:
    for row in list_tokens(context(request).engine):
        if row.id == token_id:
            return row
    raise NotFound(f"no token {token_id}")


def _public(row: TokenInfo) -> dict[str, Any]:
    expires_at = row.expires_at
    return {
        "id": row.id,
        "project": row.project,
        "scope": row.scope,
        "description": row.description,
        "revoked": row.revoked_at is not None,
        "expires_at": api_time(expires_at) if expires_at else None,
        "expired": expires_at is not None and expires_at <= datetime.now(UTC),
    }
