"""Bridge tokens over HTTP (admin): create one (shown once), read its metadata, revoke it.

The same store functions as `fedstack token ...`; the HTTP form exists for clients that have a
token but no database access, such as the Terraform provider's `fedstack_token` resource.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from fedstack.bridge._errors import BadRequest, NotFound
from fedstack.bridge._principal import SCOPES
from fedstack.bridge.api._deps import Caller, context
from fedstack.bridge.api._responses import errors
from fedstack.bridge.store import create_token, list_tokens, revoke_token
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from fedstack.errors import ConfigError

__all__ = ["TokenRequest", "router"]

router = APIRouter(prefix="/v1/tokens", tags=["tokens"])
TokenId = Annotated[str, Path(pattern=r"^[a-z0-9]{12}$")]


class TokenRequest(BaseModel):
    """What a new token may do: a project (or `*`), a scope and a note."""

    model_config = ConfigDict(extra="forbid")
    project: str = Field(max_length=128, examples=["shop"])
    scope: str = Field(max_length=32, examples=["state:read"])
    description: str = Field(default="", max_length=256)


@router.post("", status_code=201, summary="Create a token; its secret is in this answer only")
async def create(body: TokenRequest, who: Caller, request: Request) -> dict[str, Any]:
    """A new token for `project` with `scope`; needs admin on that project."""
    # A token for every project (`*`) can only come from an admin of every project.
    who.require("admin", body.project)
    if body.scope not in SCOPES:
        raise BadRequest(f"unknown scope {body.scope!r}; use one of {', '.join(SCOPES)}")
    engine = context(request).engine
    try:
        new = await run_in_threadpool(
            create_token, engine, body.project, body.scope, body.description
        )
    except ConfigError as exc:
        raise BadRequest(str(exc)) from None
    return {
        "id": new.id,
        "project": new.project,
        "scope": new.scope,
        "description": body.description,
        "token": new.secret,
    }


@router.get("/{token_id}", summary="One token's metadata (never its secret)", responses=errors(404))
def read(token_id: TokenId, who: Caller, request: Request) -> dict[str, Any]:
    """The token's project, scope, description and whether it is revoked."""
    row = _token_or_404(request, token_id)
    who.require("admin", str(row["project"]))
    return _public(row)


@router.delete("/{token_id}", status_code=204, summary="Revoke a token", responses=errors(404))
def revoke(token_id: TokenId, who: Caller, request: Request) -> Response:
    """Revoke the token; 404 when there is no such active token."""
    row = _token_or_404(request, token_id)
    who.require("admin", str(row["project"]))
    if not revoke_token(context(request).engine, token_id):
        raise NotFound(f"token {token_id} is already revoked")
    return Response(status_code=204)


def _token_or_404(request: Request, token_id: str) -> dict[str, object]:
    for row in list_tokens(context(request).engine):
        if row["id"] == token_id:
            return row
    raise NotFound(f"no token {token_id}")


def _public(row: dict[str, object]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "project": row["project"],
        "scope": row["scope"],
        "description": row["description"],
        "revoked": row["revoked_at"] is not None,
    }
