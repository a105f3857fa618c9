"""`GET /v1/inventory`: every indexed resource across providers, filtered and paged."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fedstack.bridge.api._deps import Caller, context
from fedstack.bridge.store import InventoryFilter, index_status, inventory_page, unindexed_stacks

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["inventory"])
Text = Annotated[str | None, Query(max_length=200, pattern=r"^[^\x00]*$")]


@router.get("/inventory", summary="Resources across every stack and provider")
def inventory(
    who: Caller,
    request: Request,
    provider: Text = None,
    region: Text = None,
    country: Annotated[
        str | None, Query(max_length=2, pattern=r"^[^\x00]*$", description="ISO 3166-1 alpha-2")
    ] = None,
    type: Text = None,
    project: Text = None,
    stack: Text = None,
    q: Annotated[
        str | None,
        Query(
            max_length=200, pattern=r"^[^\x00]*$", description="Text in the address or attributes"
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    after: Annotated[
        str | None,
        Query(
            max_length=2000,
            pattern=r"^[A-Za-z0-9_-]*$",
            description="The `next_after` of the previous page: the next page, fast at any depth",
        ),
    ] = None,
) -> dict[str, Any]:
    """Indexed resources (sensitive values masked) and the stacks that could not be indexed.

    A state write is answered once it is durable and indexed just after: `trailing` lists the
    stacks in view whose rows are still of an older version (`indexed_through`, None: none yet)
    than their current state, and `up_to_date` is false while there is any.
    """
    who.require("inventory:read")
    projects = who.visible_projects()
    where = InventoryFilter(projects, project, stack, provider, region, country, type, q)
    engine = context(request).engine
    page = inventory_page(engine, where, limit=limit, offset=offset, after=after or None)
    unindexed = [
        s
        for s in unindexed_stacks(engine, projects)
        if (project is None or s["project"] == project) and (stack is None or s["stack"] == stack)
    ]
    trailing = index_status(engine, projects, project, stack)
    return {
        "total": page.total,
        "limit": limit,
        "offset": offset,
        "items": page.items,
        "next_after": page.next_after,
        "unindexed": unindexed,
        "up_to_date": not trailing,
        "trailing": [lag.__dict__ for lag in trailing],
    }
