"""`GET /v1/audit`: who wrote, locked, unlocked, force-unlocked or restored what, and when (admin)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fedstack.bridge.api._deps import Caller, context
from fedstack.bridge.store import read_audit

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["audit"])
Text = Annotated[str | None, Query(max_length=128, pattern=r"^[^\x00]*$")]


@router.get("/audit", summary="The audit log, newest first (admin)")
def audit(
    who: Caller,
    request: Request,
    project: Text = None,
    stack: Text = None,
    action: Text = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, Any]:
    """Audit entries of the projects the admin token covers."""
    who.require("admin", project)
    projects = who.visible_projects()
    total, entries = read_audit(
        context(request).engine,
        projects=projects,
        project=project,
        stack=stack,
        action=action,
        limit=limit,
        offset=offset,
    )
    return {"total": total, "limit": limit, "offset": offset, "entries": entries}
