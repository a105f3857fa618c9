"""What every route needs: the bridge context, the caller, checked names and a size-limited body."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Path, Request, Security
from fastapi.security import HTTPBasic, HTTPBearer
from fedstack.bridge._auth import authenticate
from fedstack.bridge._errors import TooLarge
from fedstack.bridge._indexer import Indexer
from fedstack.bridge._metrics import BridgeMetrics
from fedstack.bridge._principal import Principal, Scope
from fedstack.bridge._settings import BridgeSettings
from fedstack.bridge.store import NAME_PATTERN, check_name
from sqlalchemy import Connection, Engine
from starlette.concurrency import run_in_threadpool

__all__ = [
    "BridgeContext",
    "Caller",
    "Credentials",
    "Presented",
    "caller",
    "context",
    "read_body",
    "stack_names",
]

# Declared for the OpenAPI document only; the header is parsed in fedstack.bridge._auth.
_basic = HTTPBasic(auto_error=False, description="Any user name; the password is a bridge token.")
_bearer = HTTPBearer(auto_error=False, description="A bridge token.")
_T = TypeVar("_T")


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


@dataclass(frozen=True)
class Credentials:
    """What a request presented (its Authorization header), not yet checked.

    Checking reads the token table, so it runs in a worker thread: `run` checks and then does the
    route's own store work in that same thread (one hand-off per request instead of one for the
    caller and another for the route).
    """

    header: str | None
    bridge: BridgeContext

    def principal(self, conn: Connection | None = None) -> Principal:
        """The authenticated caller; Unauthorized (401) without valid credentials. Blocking.
        `conn`: a connection to check the token on (else one of the pool's, for the check only)."""
        bind = self.bridge.engine if conn is None else conn
        return authenticate(bind, self.header, auth=self.bridge.settings.auth)

    async def run(self, scope: Scope, project: str, work: Callable[[Principal], _T]) -> _T:
        """Authenticate, require `scope` on `project`, then `work(caller)`: one worker thread."""

        def checked() -> _T:
            who = self.principal()
            who.require(scope, project)
            return work(who)

        return await run_in_threadpool(checked)

    async def read(
        self, scope: Scope, project: str | None, work: Callable[[Principal, Connection], _T]
    ) -> _T:
        """Like `run`, for a route that only reads: the token check and `work(caller, conn)` on
        one connection of the pool (one checkout, with its ping and its reset, per request).
        `project` None: a listing across projects, which `work` narrows to the caller's."""

        def checked() -> _T:
            with self.bridge.engine.connect() as conn:
                who = self.principal(conn)
                who.require(scope, project)
                return work(who, conn)

        return await run_in_threadpool(checked)


async def credentials(
    request: Request,
    _basic_credentials: Annotated[object, Security(_basic)] = None,
    _bearer_credentials: Annotated[object, Security(_bearer)] = None,
) -> Credentials:
    """The request's credentials, checked later by the route (`Credentials.run`)."""
    return Credentials(request.headers.get("authorization"), context(request))


Presented = Annotated[Credentials, Depends(credentials)]


async def caller(presented: Presented) -> Principal:
    """The authenticated caller; 401 without valid credentials."""
    return await run_in_threadpool(presented.principal)


Caller = Annotated[Principal, Depends(caller)]


# Documented, not validated by FastAPI: check_name gives the clearer 400 message.
_PROJECT = Path(description="Project name", json_schema_extra={"pattern": NAME_PATTERN})
_STACK = Path(description="Stack name", json_schema_extra={"pattern": NAME_PATTERN})


async def stack_names(
    project: Annotated[str, _PROJECT], stack: Annotated[str, _STACK]
) -> tuple[str, str]:
    """Check a project and stack name from the path; 400 when outside [a-z0-9._-]{1,128}.

    Async because it is pure computation: a sync dependency would cost a worker-thread hop.
    """
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
