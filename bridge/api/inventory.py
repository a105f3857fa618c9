"""`GET /v1/inventory`: every indexed resource across providers, filtered and paged."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fedstack.bridge._principal import Principal
from fedstack.bridge.api._deps import Presented
from fedstack.bridge.api._paging import PageBody, Paged, page_body
from pydantic import Field
from sqlalchemy import Connection
from fedstack.bridge.store import (
    InventoryFilter,
    IndexLag,
    InventoryResource,
    UnindexedStack,
    index_status,
    inventory_page,
    unindexed_stacks,
)

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["inventory"])
Text = Annotated[str | None, Query(max_length=200, pattern=r"^[^\x00]*$")]


class Inventory(PageBody[InventoryResource]):
    """A page of indexed resources, and the stacks that could not be indexed (all of them)."""

    unindexed: list[UnindexedStack]
    up_to_date: bool = Field(description="False while any stack in view is still being indexed")
    trailing: list[IndexLag]


@router.get(
    "/inventory", summary="Resources across every stack and provider", response_model=Inventory
)
async def inventory(
    presented: Presented,
    paging: Paged,
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
) -> dict[str, Any]:
    """Indexed resources (sensitive values masked) and the stacks that could not be indexed.

    A state write is answered once it is durable and indexed just after: `trailing` lists the
    stacks in view whose rows are still of an older version (`indexed_through`, None: none yet)
    than their current state, and `up_to_date` is false while there is any.
    """

    # The token check and the three reads on one pooled connection in one worker thread; the
    # answer is then validated on the event loop (a sync route costs FastAPI a second hand-off).
    def read(who: Principal, conn: Connection) -> dict[str, Any]:
        projects = who.visible_projects()
        where = InventoryFilter(projects, project, stack, provider, region, country, type, q)
        page = inventory_page(
            conn, where, limit=paging.limit, offset=paging.offset, after=paging.after
        )
        unindexed = [
            s
            for s in unindexed_stacks(conn, projects)
            if (project is None or s.project == project) and (stack is None or s.stack == stack)
        ]
        trailing = index_status(conn, projects, project, stack)
        return {
            **page_body(paging, page),
            "unindexed": unindexed,
            "up_to_date": not trailing,
            "trailing": trailing,
        }

    return await presented.read("inventory:read", None, read)
