"""Drift runs and history: `POST /v1/drift-runs` (scope drift:write), and the JSON to read them.

The project a run belongs to is the `project` query parameter, else the token's own project,
else `default` (an all-projects token or --no-auth without `?project=`).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, BackgroundTasks, Path, Query, Request
from fastapi.responses import JSONResponse
from fedstack.bridge._errors import BadRequest, Conflict, NotFound
from fedstack.bridge.api._responses import errors
from fedstack.bridge._principal import ALL_PROJECTS, Principal
from fedstack.bridge._webhook import deliver, webhook_body
from fedstack.bridge.api._deps import Caller, context, read_body
from fedstack.bridge.api._paging import PageBody, Paged, RunsPaged, page_body
from fedstack.drift.schema import SCHEMA_VERSION, DriftReport, StackResult, masked
from fedstack.bridge.store import (
    DriftPeriod,
    RunSummary,
    ShardConflict,
    check_name,
    get_run,
    get_run_group,
    list_runs,
    query_periods,
    store_run,
)
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool

__all__ = ["DEFAULT_PROJECT", "RunId", "router", "run_page_url"]

DEFAULT_PROJECT = "default"
"""The project of a run posted by an all-projects token without `?project=`."""

router = APIRouter(prefix="/v1", tags=["drift"])
RunId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The bridge's number of the run")]
Name = Annotated[str | None, Query(max_length=128, pattern=r"^[a-z0-9._-]{1,128}$")]


@dataclass(frozen=True)
class LinkedRun(RunSummary):
    """A stored run's summary and its dashboard page."""

    url: str


@dataclass(frozen=True)
class RunDetail(LinkedRun):
    """A stored run: its summary, its page, and its report (`first_seen_drifting` filled in)."""

    report: DriftReport


class DriftRuns(PageBody[LinkedRun]):
    """A page of drift runs, newest first."""


class DriftHistory(PageBody[DriftPeriod]):
    """A page of drift periods, newest first."""


class PostedDriftRun(BaseModel):
    """What posting a run answers; a shard's answer starts with its run group's state.

    The run group's fields are sent for a shard only (absent, not null, for a whole run).
    """

    run_group: str | None = None
    shard_count: int | None = None
    shards_reported: list[int] | None = None
    shards_missing: list[int] | None = None
    complete: bool | None = None
    group_exit_code: int | None = Field(default=None, description="Null until every shard reported")
    runs: list[int] | None = None
    id: int
    url: str = Field(description="The run's dashboard page")
    project: str
    run_id: str
    created: bool = Field(description="False when this run_id was stored before")
    newly_drifted: int
    newly_resolved: int


class GroupStack(StackResult):
    """One stack of a sharded run, and the shard that checked it."""

    shard: int | None


class RunGroupBody(BaseModel):
    """A sharded run: which shards reported, the group's exit code, every shard's stacks."""

    project: str
    run_group: str
    shard_count: int
    shards_reported: list[int]
    shards_missing: list[int]
    complete: bool
    group_exit_code: int | None = Field(description="Null until every shard reported")
    runs: list[int]
    run_urls: list[str]
    stacks: list[GroupStack]


def run_page_url(request: Request, run: int) -> str:
    """The dashboard page of a run, on the address the caller reached this bridge at."""
    return str(request.base_url).rstrip("/") + f"/dashboard/runs/{run}"


def _project_of(who: Principal, project: str | None) -> str:
    if project is not None:
        return check_name("project", project)
    return DEFAULT_PROJECT if who.project == ALL_PROJECTS else who.project


def _parse_report(body: bytes) -> DriftReport:
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise BadRequest(
            "the drift run is not JSON: post the report `fedstack drift` writes"
        ) from None
    if not isinstance(document, dict):
        raise BadRequest("the drift run must be a JSON object (a DriftReport)")
    version = document.get("schema_version")
    if version != SCHEMA_VERSION:
        raise BadRequest(
            f"unsupported drift report schema_version {version!r}: this bridge reads version "
            f"{SCHEMA_VERSION}; use a fedstack CLI of the same release as the bridge"
        )
    try:
        report = DriftReport.model_validate(document)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise BadRequest(f"the drift report is not valid at {where}: {first['msg']}") from None
    _check_lengths(report)
    # One masking rule everywhere: a client that did not mask a secret-named value is masked here.
    return masked(report)


def _check_lengths(report: DriftReport) -> None:
    """Refuse values longer than the columns that keep them (a 400, not a database error)."""
    checks: list[tuple[str, str | None, int]] = [("run_id", report.run_id, 128)]
    for stack in report.stacks:
        checks += [("stack name", stack.name, 128), ("stack provider", stack.provider, 64)]
        checks += [("stack region", stack.region, 64), ("stack country", stack.country, 2)]
        for resource in stack.drift:
            checks += [("resource type", resource.type, 128), ("provider", resource.provider, 64)]
            checks += [("region", resource.region, 64), ("country", resource.country, 2)]
    for what, value, limit in checks:
        if value is not None and (len(value) > limit or not value):
            raise BadRequest(
                f"the drift report's {what} {value[:40]!r} is empty or over {limit} characters"
            )


@router.post(
    "/drift-runs",
    status_code=201,
    summary="Store a drift run (the JSON report of `fedstack drift`)",
    response_model=PostedDriftRun,
    responses={
        200: {
            "model": PostedDriftRun,
            "description": "This run_id was stored before; nothing changed",
        },
        400: {"description": "Not a DriftReport, or an unknown schema_version"},
        413: {"description": "Larger than the bridge's size limit"},
        **errors(409),
    },
)
async def post_drift_run(
    who: Caller, request: Request, background: BackgroundTasks, project: Name = None
) -> JSONResponse:
    """Store the run, update per-resource history; the webhook hears of new changes after commit."""
    target = _project_of(who, project)
    who.require("drift:write", target)
    report = _parse_report(await read_body(request))
    bridge = context(request)
    try:
        stored = await run_in_threadpool(store_run, bridge.engine, target, report, who=who.token_id)
    except ShardConflict as exc:
        raise Conflict(str(exc)) from None
    url = run_page_url(request, stored.id)
    # A shard's events wait for the last shard of its group: one notification per sharded run.
    if stored.events and bridge.settings.webhook:
        body = webhook_body(target, stored.id, report.run_id, url, stored.events)
        if stored.group is not None:
            body["run_group"] = stored.group.run_group
        background.add_task(deliver, bridge.settings.webhook, body)
    group = stored.group.as_json() if stored.group is not None else {}
    return JSONResponse(
        {
            **group,
            "id": stored.id,
            "url": url,
            "project": target,
            "run_id": report.run_id,
            "created": stored.created,
            "newly_drifted": sum(1 for e in stored.events if e.change == "drifted"),
            "newly_resolved": sum(1 for e in stored.events if e.change == "resolved"),
        },
        status_code=201 if stored.created else 200,
        background=background,
    )


@router.get("/drift-runs", summary="Drift runs, newest first", response_model=DriftRuns)
def drift_runs(
    who: Caller,
    request: Request,
    paging: RunsPaged,
    project: Name = None,
    stack: Name = None,
) -> dict[str, Any]:
    """Summaries of the runs the caller may see (filter by project and stack)."""
    who.require("inventory:read")
    page = list_runs(
        context(request).engine,
        who.visible_projects(),
        project=project,
        stack=stack,
        limit=paging.limit,
        offset=paging.offset,
        after=paging.after,
    )
    linked = page.map(lambda run: LinkedRun(**asdict(run), url=run_page_url(request, run.id)))
    return page_body(paging, linked)


@router.get(
    "/drift-runs/{run}",
    summary="One drift run, with first_seen_drifting filled in",
    response_model=RunDetail,
    responses=errors(404),
)
def drift_run(run: RunId, who: Caller, request: Request) -> RunDetail:
    """The run's summary and its report (sensitive values masked)."""
    who.require("inventory:read")
    found = get_run(context(request).engine, run)
    if found is None:
        raise NotFound(f"unknown drift run {run}")
    summary, report = found
    who.require("inventory:read", summary.project)
    return RunDetail(**asdict(summary), url=run_page_url(request, run), report=report)


@router.get(
    "/drift-run-groups/{run_group}",
    summary="A sharded run: every shard's stacks, which shards reported, the group's exit code",
    response_model=RunGroupBody,
    responses=errors(404),
)
def drift_run_group(
    who: Caller,
    request: Request,
    run_group: Annotated[str, Path(max_length=128)],
    project: Name = None,
) -> dict[str, Any]:
    """One run made of shards: exit code (null until every shard reported) and all stacks."""
    target = _project_of(who, project)
    who.require("state:read", target)
    found = get_run_group(context(request).engine, target, run_group)
    if found is None:
        raise NotFound(f"unknown run group {run_group} in project {target}")
    group, reports = found
    stacks = [
        {**stack.model_dump(mode="json"), "shard": report.shard.index if report.shard else None}
        for report in reports
        for stack in report.stacks
    ]
    return {
        "project": target,
        **group.as_json(),
        "run_urls": [run_page_url(request, run) for run in group.runs],
        "stacks": sorted(stacks, key=lambda s: s["name"]),
    }


@router.get("/drift/resources", summary="Per-resource drift history", response_model=DriftHistory)
def drift_resources(
    who: Caller,
    request: Request,
    paging: Paged,
    state: Literal["drifting", "resolved"] | None = None,
    project: Name = None,
    stack: Name = None,
) -> dict[str, Any]:
    """Periods a resource drifted: first seen, last seen, resolved at (null while drifting)."""
    who.require("inventory:read")
    page = query_periods(
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
