"""Stack metadata (which catalog provider and region a stack runs at) and the list of stacks."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fedstack.bridge._errors import NotFound
from fedstack.bridge.api._responses import errors
from fedstack.bridge._principal import Principal
from fedstack.bridge.api._deps import Caller, Presented, context, stack_names
from fedstack.bridge.store import (
    StackInfo,
    list_stacks,
    record_event,
    set_stack_placement,
    stack_summary,
)
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection

__all__ = ["StackEvent", "StackPlacement", "router"]

router = APIRouter(prefix="/v1/stacks", tags=["stacks"])
Names = Annotated[tuple[str, str], Depends(stack_names)]


class StackPlacement(BaseModel):
    """Where a stack runs: a provider and one of its regions, as named in the catalog."""

    model_config = ConfigDict(extra="forbid")
    provider: str = Field(max_length=64, description="Catalog provider name, such as sandbox-fr")
    region: str = Field(
        max_length=64, description="Catalog region of that provider, such as fr-par"
    )


class StackEvent(BaseModel):
    """A step a client did to a stack (a `fedstack exit` step): kept in the audit log."""

    model_config = ConfigDict(extra="forbid")
    action: str = Field(
        pattern=r"^exit:[a-z][a-z-]{0,31}$", description="The step, such as exit:copy"
    )
    seconds: float = Field(ge=0, le=1e7, description="How long the step took")
    detail: str = Field(max_length=4000, description="What the step did, one line")


class Stacks(BaseModel):
    """Every stack the caller may see, by project and name."""

    stacks: list[StackInfo]


class PlacedStack(BaseModel):
    """Where a stack now runs, with the country of that region."""

    project: str
    stack: str
    provider: str
    region: str
    country: str | None


class RecordedEvent(BaseModel):
    """The step recorded in the stack's audit log."""

    project: str
    stack: str
    action: str


@router.get("", summary="Every stack the caller may see", response_model=Stacks)
async def stacks(presented: Presented) -> dict[str, Any]:
    """Stacks with placement, current version, lock, inventory size and encryption note."""

    def read(who: Principal, conn: Connection) -> dict[str, Any]:
        return {"stacks": [asdict(s) for s in list_stacks(conn, who.visible_projects())]}

    return await presented.read("inventory:read", None, read)


@router.get(
    "/{project}/{stack}",
    summary="One stack's metadata and summary",
    response_model=StackInfo,
    responses=errors(404),
)
async def get_stack(names: Names, presented: Presented) -> dict[str, Any]:
    """Placement, current version, lock and inventory size of one stack; 404 when unknown."""
    project, stack = names
    found = await presented.read(
        "inventory:read", project, lambda _, conn: stack_summary(conn, project, stack)
    )
    if found is None:
        raise NotFound(f"unknown stack {project}/{stack}")
    return asdict(found)


@router.put("/{project}/{stack}", summary="Set where the stack runs", response_model=PlacedStack)
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


@router.post(
    "/{project}/{stack}/events",
    status_code=201,
    summary="Record a step done to the stack",
    response_model=RecordedEvent,
)
def post_event(names: Names, body: StackEvent, who: Caller, request: Request) -> dict[str, Any]:
    """Append the step to the audit log under the stack (its history of operations)."""
    project, stack = names
    who.require("state:write", project)
    record_event(
        context(request).engine,
        who.token_id,
        body.action,
        project,
        stack,
        seconds=body.seconds,
        detail=body.detail,
    )
    return {"project": project, "stack": stack, "action": body.action}
