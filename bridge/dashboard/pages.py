"""The dashboard's routes: `/dashboard` (overview), `/dashboard/stacks/<p>/<s>`, `/dashboard/runs/<id>`.

Pages need `inventory:read` like the API's listings (HTTP basic with a token as password, so a
browser asks once; or a Bearer token); a bridge started with --no-auth serves them openly on
loopback.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Annotated, Any

import jinja2
from markupsafe import Markup
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fedstack.bridge._errors import BadRequest, NotFound
from fedstack.bridge.api import Caller, context, errors
from fedstack.bridge.api.drift import RunId
from fedstack.bridge.dashboard._chart import history_chart
from fedstack.reports import estate_map
from fedstack.bridge.dashboard._views import (
    History,
    compliance,
    history,
    map_markers,
    overview,
    stack_detail,
)
from fedstack.drift.schema import MASK
from fedstack.bridge.store import (
    check_name,
    get_run,
    list_runs,
    query_findings,
    query_periods,
    query_unmanaged,
    stack_summary,
)
from starlette.concurrency import run_in_threadpool

import fedstack

__all__ = ["router"]

router = APIRouter(prefix="/dashboard", include_in_schema=False)

# No script and no external source: the pages are static HTML with one inline stylesheet.
_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


@functools.cache
def _templates() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = lambda t: t.strftime("%Y-%m-%d %H:%M:%S UTC") if t else "never"
    env.filters["dash"] = lambda v: "—" if v in (None, "") else v
    env.globals["MASK"] = MASK
    env.globals["version"] = fedstack.__version__
    return env


def _page(name: str, **values: Any) -> HTMLResponse:
    return HTMLResponse(_templates().get_template(name).render(**values), headers=_HEADERS)


@router.get("", response_class=HTMLResponse)
async def overview_page(
    who: Caller,
    request: Request,
    provider: Annotated[str | None, Query(max_length=64)] = None,
    region: Annotated[str | None, Query(max_length=64)] = None,
) -> HTMLResponse:
    """The map, stacks, resources and drift by provider, region and country, and the history;
    `?provider=&region=` lists only that region's stacks (the map's markers link there)."""
    who.require("inventory:read")
    engine = context(request).engine
    projects = who.visible_projects()
    groups, stacks = await run_in_threadpool(overview, engine, projects)
    past = await run_in_threadpool(history, engine, projects)
    _, runs = await run_in_threadpool(list_runs, engine, projects, limit=15)
    chart = _chart(past, "Drift and policy findings per day, all stacks")
    _, failing = await run_in_threadpool(
        functools.partial(query_findings, engine, projects, state="open", limit=10_000)
    )
    estate = estate_map(map_markers(groups, failing))
    _, unmanaged = await run_in_threadpool(
        functools.partial(query_unmanaged, engine, projects, state="open", limit=20)
    )
    if provider or region:
        stacks = [
            s
            for s in stacks
            if (provider is None or s.provider == provider)
            and (region is None or s.region == region)
        ]
    return _page(
        "overview.html",
        groups=groups,
        stacks=stacks,
        runs=runs,
        chart=chart,
        estate=estate,
        unmanaged=unmanaged,
        only=(provider, region) if provider or region else None,
    )


@router.get("/", include_in_schema=False)
def overview_slash() -> RedirectResponse:
    """`/dashboard/` is `/dashboard`."""
    return RedirectResponse("/dashboard", status_code=308)


@router.get("/stacks/{project}/{stack}", response_class=HTMLResponse, responses=errors(404))
async def stack_page(
    project: str,
    stack: str,
    who: Caller,
    request: Request,
    diff_from: Annotated[int | None, Query(alias="from", ge=1)] = None,
    diff_to: Annotated[int | None, Query(alias="to", ge=1)] = None,
) -> HTMLResponse:
    """One stack: masked inventory, placement and its catalog facts, drift and policy history,
    state versions with who wrote each, and a masked diff of two versions (`?from=&to=`)."""
    project = check_name("project", project)
    # Drift runs name stacks by folder, which may fall outside the state API's name pattern.
    if not 0 < len(stack) <= 128:
        raise BadRequest("a stack name has 1 to 128 characters")
    who.require("inventory:read", project)
    engine = context(request).engine
    summary = await run_in_threadpool(stack_summary, engine, project, stack)
    _, periods = await run_in_threadpool(query_periods, engine, [project], stack=stack, limit=200)
    past = await run_in_threadpool(
        functools.partial(history, engine, [project], stack=(project, stack))
    )
    _, runs = await run_in_threadpool(list_runs, engine, [project], stack=stack, limit=20)
    if summary is None and not runs:
        raise NotFound(f"unknown stack {project}/{stack}")
    _, findings = await run_in_threadpool(query_findings, engine, [project], stack=stack, limit=100)
    chart = _chart(past, f"Drift and policy findings per day of {project}/{stack}")
    where = (summary["provider"], summary["region"]) if summary else (None, None)
    pair = (diff_from, diff_to) if diff_from and diff_to else None
    detail = await run_in_threadpool(stack_detail, engine, project, stack, where, pair)
    return _page(
        "stack.html",
        detail=detail,
        project=project,
        stack=stack,
        summary=summary,
        periods=periods,
        findings=findings,
        runs=runs,
        chart=chart,
    )


@router.get("/compliance", response_class=HTMLResponse)
async def compliance_page(who: Caller, request: Request) -> HTMLResponse:
    """Each project's policy and the live-state findings (open first, then resolved)."""
    who.require("inventory:read")
    engine = context(request).engine
    projects = who.visible_projects()
    policies = await run_in_threadpool(compliance, engine, projects)
    _, open_findings = await run_in_threadpool(query_findings, engine, projects, state="open")
    _, resolved = await run_in_threadpool(
        query_findings, engine, projects, state="resolved", limit=50
    )
    return _page("compliance.html", policies=policies, findings=open_findings + resolved)


@router.get("/runs/{run}", response_class=HTMLResponse, responses=errors(404))
async def run_page(run: RunId, who: Caller, request: Request) -> HTMLResponse:
    """One run: per stack status, per resource attribute diffs (masked values stay masked)."""
    who.require("inventory:read")
    found = await run_in_threadpool(get_run, context(request).engine, run)
    if found is None:
        raise NotFound(f"unknown drift run {run}")
    summary, report = found
    who.require("inventory:read", summary["project"])
    return _page("run.html", run=summary, report=report)


def _chart(past: History, title: str) -> Markup:
    return history_chart(past.days, past.runs, title=title)
