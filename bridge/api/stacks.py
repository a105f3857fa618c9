"""Stack metadata (which catalog provider and region a stack runs at) and the list of stacks."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fedstack.bridge._errors import NotFound
from fedstack.bridge.api._responses import errors
from fedstack.bridge.api._deps import Caller, context, stack_names
from fedstack.bridge.store import list_stacks, set_stack_placement, stack_summary
from pydantic import BaseModel, ConfigDict, Field

__all__ = ["StackPlacement", "router"]

router = APIRouter(prefix="/v1/stacks", tags=["stacks"])
Names = Annotated[tuple[str, str], Depends(stack_names)]


class StackPlacement(BaseModel):
    """Where a stack runs: a provider and one of its regions, as named in the catalog."""

    model_config = ConfigDict(extra="forbid")
    provider: str = Field(max_length=64, description="Catalog provider name, such as sandbox-fr")
    region: str = Field(
        max_length=64, description="Catalog region of that provider, such as fr-par"
    )


@router.get("", summary="Every stack the caller may see")
def stacks(who: Caller, request: Request) -> dict[str, Any]:
    """Stacks with placement, current version, lock, inventory size and encryption note."""
    who.require("inventory:read")
    projects = who.visible_projects()
    return {"stacks": list_stacks(context(request).engine, projects)}


@router.get("/{project}/{stack}", summary="One stack's metadata and summary", responses=errors(404))
def get_stack(names: Names, who: Caller, request: Request) -> dict[str, Any]:
    """Placement, current version, lock and inventory size of one stack; 404 when unknown."""
    project, stack = names
    who.require("inventory:read", project)
    found = stack_summary(context(request).engine, project, stack)
    if found is None:
        raise NotFound(f"unknown stack {project}/{stack}")
    return found


@router.put("/{project}/{stack}", summary="Set where the stack runs")
def put_stack(names: Names, body: StackPlacement, who: Caller, request: Request) -> dict[str, Any]:
    """Record the stack's catalog provider and region (checked); its inventory rows follow."""
    project, stack = names
    who.require("state:write", project)
    place = set_stack_placement(
        context(request).engine, project, stack, body.provider, body.region, who=who.token_id
    )
    return {
        "project": project,
        "stack": stack,
        "provider": place.provider,
        "region": place.region,
        "country": place.country,
    }
