"""Unmanaged runs and findings: `POST /v1/unmanaged-runs` (scope drift:write) and
`GET /v1/unmanaged/resources?state=open|gone`.

The project of a run is the `project` query parameter, else the token's own project, else
`default`, as for drift runs. The webhook hears only of findings new in a run or gone since.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, BackgroundTasks, Query, Request
from fastapi.responses import JSONResponse
from fedstack.bridge._errors import BadRequest
from fedstack.bridge._webhook import deliver
from fedstack.bridge.api._deps import Caller, context, read_body
from fedstack.bridge.api._paging import PageBody, Paged, page_body
from fedstack.bridge.api._responses import errors
from fedstack.bridge.api.drift import DEFAULT_PROJECT
from fedstack.bridge.store import (
    UnmanagedEvent,
    check_name,
    query_unmanaged,
    store_unmanaged_run,
)
from fedstack.unmanaged import SCHEMA_VERSION, UnmanagedReport, read_report
from pydantic import AwareDatetime, BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool

__all__ = ["router", "unmanaged_webhook_body"]

router = APIRouter(prefix="/v1", tags=["unmanaged"])
Name = Annotated[str | None, Query(max_length=128, pattern=r"^[a-z0-9._-]{1,128}$")]


class UnmanagedResource(BaseModel):
    """One stored finding with its history."""

    id: int
    project: str
    address: str
    provider: str
    region: str
    country: str | None
    kind: str
    resource_type: str
    identifier: str
    ignored: bool
    import_block: str
    first_seen_at: AwareDatetime
    first_run: int
    last_seen_at: AwareDatetime
    last_run: int
    gone_at: AwareDatetime | None
    gone_run: int | None


class UnmanagedResources(PageBody[UnmanagedResource]):
    """A page of findings."""


class PostedRun(BaseModel):
    """What `POST /v1/unmanaged-runs` answers."""

    id: int
    project: str
    run_id: str
    created: bool
    new: int
    gone: int


def unmanaged_webhook_body(
    project: str, run: int, run_id: str, events: list[UnmanagedEvent]
) -> dict[str, Any]:
    """The JSON the webhook receives when a run found something new or something went."""
    return {
        "event": "unmanaged.changed",
        "project": project,
        "run": run,
        "run_id": run_id,
        "new": sum(1 for e in events if e.change == "new"),
        "gone": sum(1 for e in events if e.change == "gone"),
        "changes": [e.as_json() for e in events],
    }


def _parse(body: bytes) -> UnmanagedReport:
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("the unmanaged run is not JSON: post `fedstack unmanaged` JSON") from None
    if not isinstance(document, dict):
        raise BadRequest("the unmanaged run must be a JSON object")
    if document.get("schema_version") != SCHEMA_VERSION:
        raise BadRequest(
            f"unsupported unmanaged report schema_version {document.get('schema_version')!r}: "
            f"this bridge reads version {SCHEMA_VERSION}"
        )
    try:
        report = read_report(document)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise BadRequest(f"the unmanaged report is not valid at {where}: {first['msg']}") from None
    for finding in report.findings:
        for what, value, limit in (
            ("provider", finding.provider, 64),
            ("region", finding.region, 64),
            ("resource_type", finding.resource_type, 128),
        ):
            if not value or len(value) > limit:
                raise BadRequest(f"a finding's {what} is empty or over {limit} characters")
    return report


@router.post(
    "/unmanaged-runs",
    status_code=201,
    response_model=PostedRun,
    summary="Store an unmanaged run (the JSON report of `fedstack unmanaged`)",
    responses={
        200: {"model": PostedRun, "description": "This run_id was stored before; nothing changed"},
        **errors(413),
    },
)
async def post_unmanaged_run(
    who: Caller, request: Request, background: BackgroundTasks, project: Name = None
) -> JSONResponse:
    """Store the run and the findings' history; the webhook hears of new and gone ones."""
    if project is not None:
        target = check_name("project", project)
    else:
        target = DEFAULT_PROJECT if who.visible_projects() is None else who.project
    who.require("drift:write", target)
    report = _parse(await read_body(request))
    bridge = context(request)
    stored = await run_in_threadpool(
        store_unmanaged_run, bridge.engine, target, report, who=who.token_id
    )
    if stored.events and bridge.settings.webhook:
        body = unmanaged_webhook_body(target, stored.id, report.run_id, stored.events)
        background.add_task(deliver, bridge.settings.webhook, body)
    answer = PostedRun(
        id=stored.id,
        project=target,
        run_id=report.run_id,
        created=stored.created,
        new=sum(1 for e in stored.events if e.change == "new"),
        gone=sum(1 for e in stored.events if e.change == "gone"),
    )
    return JSONResponse(
        answer.model_dump(), status_code=201 if stored.created else 200, background=background
    )


@router.get(
    "/unmanaged/resources",
    response_model=UnmanagedResources,
    summary="Resources no stack manages, with first seen and gone",
)
def unmanaged_resources(
    who: Caller,
    request: Request,
    paging: Paged,
    state: Literal["open", "gone"] | None = None,
    project: Name = None,
    provider: Name = None,
) -> UnmanagedResources:
    """Findings the caller may see, newest first; `state=open` still there, `gone` since removed."""
    who.require("state:read")
    page = query_unmanaged(
        context(request).engine,
        who.visible_projects(),
        state=state,
        project=project,
        provider=provider,
        limit=paging.limit,
        offset=paging.offset,
        after=paging.after,
    ).map(dataclasses.asdict)
    return UnmanagedResources.model_validate(page_body(paging, page))
