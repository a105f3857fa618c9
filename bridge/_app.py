"""The bridge's ASGI app: `create_app(settings)` opens and migrates the database, mounts the routes."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import AsyncIterator

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fedstack.bridge._browser_guard import BrowserGuard
from fedstack.bridge._errors import BridgeError
from fedstack.bridge._indexer import Indexer
from fedstack.bridge._metrics import BridgeMetrics
from fedstack.bridge._settings import BridgeSettings
from fedstack.bridge.api import (
    audit,
    compliance,
    drift,
    health,
    inventory,
    stacks,
    states,
    tokens,
    unmanaged,
)
from fedstack.bridge.api import BridgeContext, openapi_document
from fedstack.bridge.dashboard import pages
from fedstack.bridge.store import check_keys, migrate, on_row_wait, open_engine, wait_for_database
from starlette.concurrency import run_in_threadpool

import fedstack
from fedstack.errors import FedstackError

__all__ = ["create_app"]

_DESCRIPTION = """\
The fedstack bridge: the Terraform/OpenTofu HTTP state backend of every federated stack
(versions, locks), one inventory across providers, the audit log, drift runs with
per-resource history, and a server-rendered dashboard under `/dashboard`.

Authenticate with HTTP basic (any user name, a bridge token as password: `TF_HTTP_PASSWORD`)
or a Bearer token. `LOCK`/`UNLOCK` on `.../lock` are accepted beside `POST`/`DELETE`.
"""


def create_app(settings: BridgeSettings) -> FastAPI:
    """A ready-to-serve app for `settings`; the database schema is migrated before it returns."""
    engine = open_engine(settings.db_url, checkpoint_on_commit=False)
    wait_for_database(engine)
    migrate(engine)
    check_keys(engine)
    metrics = BridgeMetrics(engine)
    on_row_wait(metrics.row_wait.observe)
    indexer = Indexer(engine)
    indexer.start()  # its first round indexes what a killed bridge acknowledged but did not index

    @contextlib.asynccontextmanager
    async def _lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        # A graceful stop lets the stack under way finish; what is queued is caught up at start.
        await run_in_threadpool(indexer.stop)

    app = FastAPI(
        title="fedstack bridge",
        version=fedstack.__version__,
        description=_DESCRIPTION,
        lifespan=_lifespan,
    )
    app.state.bridge = BridgeContext(
        engine=engine, settings=settings, metrics=metrics, indexer=indexer
    )
    routers = (health, states, stacks, inventory, audit, drift, compliance, tokens, unmanaged)
    for module in (*routers, pages):
        app.include_router(module.router)

    @app.exception_handler(BridgeError)
    async def _bridge_error(_request: Request, exc: BridgeError) -> JSONResponse:
        headers = {"WWW-Authenticate": 'Basic realm="fedstack"'} if exc.status == 401 else None
        return JSONResponse(exc.body(), status_code=exc.status, headers=headers)

    @app.exception_handler(FedstackError)
    async def _unavailable(_request: Request, exc: FedstackError) -> JSONResponse:
        # Not a refusal of the request but a setting this process lacks (a key, say): a clear
        # 503 the operator can act on, never a bare 500.
        return JSONResponse({"error": str(exc)}, status_code=503)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()))
        return JSONResponse(
            {"error": f"{where}: {first.get('msg', 'invalid request')}"}, status_code=400
        )

    app.openapi = functools.partial(openapi_document, app)  # type: ignore[method-assign]
    app.add_middleware(BrowserGuard)  # type: ignore[arg-type]
    app.add_middleware(_MetricsMiddleware, metrics=metrics)
    return app


class _MetricsMiddleware:
    """Adapter so Starlette's add_middleware can install BridgeMetrics.middleware."""

    def __init__(self, app: object, metrics: BridgeMetrics) -> None:
        self._wrapped = metrics.middleware(app)  # type: ignore[arg-type]

    async def __call__(self, scope: dict, receive: object, send: object) -> None:  # type: ignore[type-arg]
        await self._wrapped(scope, receive, send)  # type: ignore[arg-type]
