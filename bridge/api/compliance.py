"""Live-state policy: set a project's policy, evaluate on demand, read findings with history.

`PUT /v1/projects/<p>/policy` (admin) takes `{"preset": NAME}` or `{"yaml": TEXT}`; every
state write of the project is then checked against it (see fedstack.bridge.store._compliance).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fedstack.bridge._errors import BadRequest, NotFound
from fedstack.bridge.api._responses import errors
from fedstack.bridge.api._deps import Caller, context
from fedstack.bridge.api._paging import PageBody, Paged, page_body
from fedstack.bridge.store import (
    PolicyFinding,
    PolicySource,
    StoredPolicy,
    check_name,
    clear_policy,
    evaluate_project,
    get_policy,
    query_findings,
    set_policy,
)
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

__all__ = ["PolicyBody", "router"]

router = APIRouter(prefix="/v1", tags=["compliance"])
Name = Annotated[str | None, Query(max_length=128, pattern=r"^[a-z0-9._-]{1,128}$")]


def _project(
    project: Annotated[str, Path(json_schema_extra={"pattern": r"^[a-z0-9._-]{1,128}$"})],
) -> str:
    return check_name("project", project)


ProjectName = Annotated[str, Depends(_project)]


class PolicyBody(BaseModel):
    """A built-in preset by name, or a policy as YAML (the format of `fedstack policy show`)."""

    model_config = ConfigDict(extra="forbid")
    preset: str | None = Field(default=None, max_length=128, examples=["eu-data-residency"])
    yaml: str | None = Field(default=None, max_length=256 * 1024)


class Evaluated(BaseModel):
    """The findings open after checking the project's stacks again."""

    project: str
    open: int


class PolicyFindings(PageBody[PolicyFinding]):
    """A page of policy findings, newest first."""


@router.put(
    "/projects/{project}/policy",
    summary="Set the project's sovereignty policy",
    response_model=StoredPolicy,
)
async def put_policy(
    project: ProjectName, body: PolicyBody, who: Caller, request: Request
) -> StoredPolicy:
    """Store the policy and check every stack of the project against it at once."""
    who.require("admin", project)
    if (body.preset is None) == (body.yaml is None):
        raise BadRequest('send exactly one of {"preset": NAME} or {"yaml": TEXT}')
    source: PolicySource = "preset" if body.preset is not None else "yaml"
    document = body.preset if body.preset is not None else str(body.yaml)
    engine = context(request).engine
    await run_in_threadpool(set_policy, engine, project, source, document, who=who.token_id)
    return await run_in_threadpool(_policy_or_404, engine, project)


@router.get(
    "/projects/{project}/policy",
    summary="The project's sovereignty policy",
    response_model=StoredPolicy,
    responses=errors(404),
)
def read_policy(project: ProjectName, who: Caller, request: Request) -> StoredPolicy:
    """The policy live state is checked against; 404 when the project has none."""
    who.require("inventory:read", project)
    return _policy_or_404(context(request).engine, project)


@router.delete(
    "/projects/{project}/policy",
    status_code=204,
    summary="Stop checking the project",
    responses=errors(404),
)
def delete_policy(project: ProjectName, who: Caller, request: Request) -> Response:
    """Remove the policy; its open findings are resolved."""
    who.require("admin", project)
    if not clear_policy(context(request).engine, project, who=who.token_id):
        raise NotFound(f"project {project} has no policy")
    return Response(status_code=204)


@router.post(
    "/compliance/evaluate", summary="Check a project's live state now", response_model=Evaluated
)
def evaluate(
    project: Annotated[str, Query(pattern=r"^[a-z0-9._-]{1,128}$")], who: Caller, request: Request
) -> dict[str, Any]:
    """Re-check every stack of the project (after a catalog update, say); returns open findings."""
    who.require("state:write", project)
    open_findings = evaluate_project(context(request).engine, project)
    return {"project": project, "open": open_findings}


@router.get(
    "/compliance/findings",
    summary="Live-state policy findings with history",
    response_model=PolicyFindings,
)
def findings(
    who: Caller,
    request: Request,
    paging: Paged,
    state: Literal["open", "resolved"] | None = None,
    project: Name = None,
    stack: Name = None,
) -> dict[str, Any]:
    """A rule failing for a resource: first seen, last seen, resolved at (null while failing)."""
    who.require("inventory:read")
    page = query_findings(
        context(request).engine,
        who.visible_projects(),
        state=state,
        project=project,
        stack=stack,
        limit=paging.limit,
        offset=paging.offset,
        after=paging.after,
    )
    return page_body(paging, page)


def _policy_or_404(engine: Any, project: str) -> StoredPolicy:
    found = get_policy(engine, project)
    if found is None:
        raise NotFound(f"project {project} has no policy")
    return found
