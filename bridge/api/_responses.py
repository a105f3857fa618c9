"""The error answers routes declare, and the OpenAPI document made to list what is really sent.

FastAPI documents a 422 for every route with parameters, but the bridge answers invalid
requests with 400 (`fedstack.bridge._app`), and it documents none of the refusals that come
from dependencies or middleware (401/403 from authentication, 415/403 from the browser guard).
`openapi_document` fixes both in one pass; each route declares the codes its own logic sends
with `errors(...)`.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, ConfigDict

__all__ = ["ErrorBody", "LockInfoBody", "errors", "openapi_document"]


class ErrorBody(BaseModel):
    """Every refusal: one message a user can act on."""

    error: str


class LockInfoBody(BaseModel):
    """A 423: the lock holder's LockInfo as Terraform sent it (plus `error` when not yours)."""

    model_config = ConfigDict(extra="allow")

    ID: str
    Operation: str | None = None
    Who: str | None = None
    error: str | None = None


_DESCRIPTIONS = {
    400: "Malformed request: bad name, parameter, JSON or state shape (the message says which)",
    401: "No credentials, or a token the bridge does not know",
    403: "A token without the scope or project, or a cross-site request",
    404: "No such stack, version, run or policy",
    409: "The write would lose or mix up state (lineage, serial, lock released)",
    413: "The body is larger than the bridge's limit",
    415: "A content type a browser form can send; send application/json",
    423: "Locked by someone else; the body is the holder's LockInfo",
    503: "The bridge cannot serve this now (database, or a key it does not hold)",
}
_STATE_CHANGING = ("post", "put", "delete", "patch")


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route that sends these error codes itself."""
    return {
        code: {
            "model": LockInfoBody if code == 423 else ErrorBody,
            "description": _DESCRIPTIONS[code],
        }
        for code in codes
    }


def _add(operation: dict[str, Any], code: int) -> None:
    operation["responses"].setdefault(
        str(code),
        {
            "description": _DESCRIPTIONS[code],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}},
        },
    )


def openapi_document(app: FastAPI) -> dict[str, Any]:
    """The app's OpenAPI document with the error codes the bridge really answers."""
    if app.openapi_schema is not None:
        return app.openapi_schema
    document = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("ErrorBody", ErrorBody.model_json_schema())
    for name in ("HTTPValidationError", "ValidationError"):  # the 422 bodies are never sent
        schemas.pop(name, None)
    for methods in document.get("paths", {}).values():
        for method, operation in methods.items():
            operation["responses"].pop("422", None)
            if operation.get("parameters") or operation.get("requestBody"):
                _add(operation, 400)
            if operation.get("security"):
                _add(operation, 401)
                _add(operation, 403)
            if method in _STATE_CHANGING:
                _add(operation, 403)
                _add(operation, 415)
            operation["responses"] = dict(
                sorted(operation["responses"].items(), key=lambda item: item[0])
            )
    app.openapi_schema = document
    return document
