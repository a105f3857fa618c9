"""What every route needs: the bridge context, the caller, checked names and a size-limited body."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Request, Security
from fastapi.security import HTTPBasic, HTTPBearer
from fedstack.bridge._auth import authenticate
from fedstack.bridge._errors import TooLarge
from fedstack.bridge._indexer import Indexer
from fedstack.bridge._metrics import BridgeMetrics
from fedstack.bridge._principal import Principal
from fedstack.bridge._settings import BridgeSettings
from fedstack.bridge.store import NAME_PATTERN, check_name
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

__all__ = ["BridgeContext", "Caller", "caller", "context", "read_body", "stack_names"]

# Declared for the OpenAPI document only; the header is parsed in fedstack.bridge._auth.
_basic = HTTPBasic(auto_error=False, description="Any user name; the password is a bridge token.")
_bearer = HTTPBearer(auto_error=False, description="A bridge token.")


@dataclass(frozen=True)
class BridgeContext:
    """The engine, settings, metrics and indexer of one app, kept in `app.state.bridge`."""

    engine: Engine
    settings: BridgeSettings
    metrics: BridgeMetrics
    indexer: Indexer


def context(request: Request) -> BridgeContext:
    """The app's BridgeContext."""
    return request.app.state.bridge  # type: ignore[no-any-return]


async def caller(
    request: Request,
    _basic_credentials: Annotated[object, Security(_basic)] = None,
    _bearer_credentials: Annotated[object, Security(_bearer)] = None,
) -> Principal:
    """The authenticated caller; 401 without valid credentials."""
    bridge = context(request)
    header = request.headers.get("authorization")
    return await run_in_threadpool(authenticate, bridge.engine, header, auth=bridge.settings.auth)


Caller = Annotated[Principal, Depends(caller)]


# Documented, not validated by FastAPI: check_name gives the clearer 400 message.
_PROJECT = Path(description="Project name", json_schema_extra={"pattern": NAME_PATTERN})
_STACK = Path(description="Stack name", json_schema_extra={"pattern": NAME_PATTERN})


def stack_names(
    project: Annotated[str, _PROJECT], stack: Annotated[str, _STACK]
) -> tuple[str, str]:
    """Check a project and stack name from the path; 400 when outside [a-z0-9._-]{1,128}."""
    return check_name("project", project), check_name("stack", stack)


async def read_body(request: Request) -> bytes:
    """The request body, refused with 413 as soon as it passes the configured size limit."""
    limit = context(request).settings.max_state_bytes
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise TooLarge(f"the body is {int(declared)} bytes; this bridge accepts at most {limit}")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"the body is larger than this bridge's limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
