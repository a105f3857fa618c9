"""`GET /v1/audit`: who wrote, locked, unlocked, force-unlocked or restored what, and when (admin)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fedstack.bridge.api._deps import Caller, context
from fedstack.bridge.api._paging import Paged, page_body
from fedstack.bridge.store import AuditEntry, read_audit
from pydantic import BaseModel, Field

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["audit"])
Text = Annotated[str | None, Query(max_length=128, pattern=r"^[^\x00]*$")]


class AuditLog(BaseModel):
    """A page of the audit log: paged like every listing, its items under `entries`."""

    total: int
    limit: int
    offset: int
    entries: list[AuditEntry]
    next_after: str | None
    total_exact: bool = Field(description="Always true here: the audit log's count is exact")


@router.get("/audit", summary="The audit log, newest first (admin)", response_model=AuditLog)
def audit(
    who: Caller,
    request: Request,
    paging: Paged,
    project: Text = None,
    stack: Text = None,
    action: Text = None,
) -> dict[str, Any]:
    """Audit entries of the projects the admin token covers (under `entries`, not `items`)."""
    who.require("admin", project)
    page = read_audit(
        context(request).engine,
        projects=who.visible_projects(),
        project=project,
        stack=stack,
        action=action,
        limit=paging.limit,
        offset=paging.offset,
        after=paging.after,
    )
    body = page_body(paging, page)
    return {("entries" if key == "items" else key): value for key, value in body.items()}
