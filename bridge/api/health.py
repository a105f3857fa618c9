"""`/healthz` (the process answers), `/readyz` (the database answers) and `/metrics` (Prometheus)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from fedstack.bridge.api._deps import context
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

__all__ = ["router"]

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """The process serves requests."""

    status: Literal["ok"]


class Readiness(BaseModel):
    """Whether the database answers (`error` names the failure, never a secret)."""

    status: Literal["ready", "unavailable"]
    error: str | None = None


@router.get("/healthz", summary="The process is up", response_model=Health)
def healthz() -> dict[str, str]:
    """Always 200 while the process serves requests."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="The database answers",
    response_model=Readiness,
    responses={503: {"model": Readiness, "description": "Database unreachable"}},
)
def readyz(request: Request) -> JSONResponse:
    """200 when the database answers a query, 503 otherwise."""
    try:
        with context(request).engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        return JSONResponse({"status": "unavailable", "error": type(exc).__name__}, status_code=503)
    return JSONResponse({"status": "ready"})


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={
        200: {
            "description": "Prometheus text exposition format",
            "content": {CONTENT_TYPE_LATEST: {"schema": {"type": "string"}}},
        }
    },
)
def metrics(request: Request) -> Response:
    """Requests, latencies, lock waits, states and inventory size in Prometheus text format."""
    registry = context(request).metrics.registry
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
