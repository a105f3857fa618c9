"""The Terraform HTTP backend: state GET/POST/PUT/DELETE, LOCK/UNLOCK, versions and restore."""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from fastapi.responses import JSONResponse
from fedstack.bridge._errors import BridgeError
from fedstack.bridge._principal import Principal
from fedstack.bridge._statefile import check_content_md5, receive_state
from fedstack.bridge.api._deps import (
    BridgeContext,
    Caller,
    Presented,
    context,
    read_body,
    stack_names,
)
from fedstack.bridge.api._responses import LockInfoBody, errors
from fedstack.bridge.store import (
    VersionInfo,
    WriteResult,
    acquire,
    delete_state,
    force_release,
    get_version,
    holder,
    list_versions,
    parse_lock_info,
    read_current,
    release,
    restore_version,
    write_state,
)
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

__all__ = ["router"]


class StateWritten(BaseModel):
    """The version a state write made current, whether it is new (a retry is not), its serial."""

    version: int
    created: bool
    serial: int | None
    indexed: bool = Field(
        description="Whether the inventory holds this version as the answer leaves"
    )


class StateDeleted(BaseModel):
    """Whether the stack had a state to empty."""

    deleted: bool


class Unlocked(BaseModel):
    """Whether a lock was released, and whether it was broken by an admin (force-unlock)."""

    unlocked: bool
    forced: bool


class Versions(BaseModel):
    """Every stored version of a stack (or those with one serial), oldest first."""

    project: str
    stack: str
    versions: list[VersionInfo]


class Restored(BaseModel):
    """The new version a restore wrote, and the version it copied."""

    version: int
    restored_from: int


router = APIRouter(prefix="/v1/states", tags=["states"])
Names = Annotated[tuple[str, str], Depends(stack_names)]
LockID = Annotated[
    str | None, Query(alias="ID", max_length=256, description="The lock ID, required while locked")
]
VersionNumber = Annotated[
    int, Path(ge=1, le=2**31 - 1, description="The bridge's version number (1, 2, ...)")
]
_STATE = "/{project}/{stack}"
# The body is read raw (size limit, exact bytes), so the OpenAPI document declares it by hand.
_STATE_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "description": "Terraform state (v4) or OpenTofu encrypted state",
                }
            }
        },
    }
}
_LOCK_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["ID"],
                    "properties": {
                        "ID": {"type": "string"},
                        "Operation": {"type": "string"},
                        "Who": {"type": "string"},
                    },
                }
            }
        },
    }
}
_UNLOCK_BODY = {
    "requestBody": {
        "required": False,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["ID"],
                    "properties": {"ID": {"type": "string"}},
                }
            }
        },
    }
}
_LOCK = "/{project}/{stack}/lock"
# A state is Terraform's document, sent back byte for byte: described, not modelled.
_STATE_ANSWER = {
    "description": "The state, exactly as it was written",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "description": "Terraform state (v4) or OpenTofu encrypted state",
            }
        }
    },
}


@router.get(
    _STATE,
    summary="Current state",
    responses={
        200: _STATE_ANSWER,
        204: {"description": "The stack has no state"},
        **errors(503),
    },
)
async def get_state(names: Names, presented: Presented) -> Response:
    """The current state (200, with Content-MD5), or 204 when the stack has none."""
    project, stack = names
    current = await presented.read(
        "state:read", project, lambda _, conn: read_current(conn, project, stack)
    )
    if current is None:
        return Response(status_code=204)
    md5 = base64.b64encode(bytes.fromhex(current.md5)).decode()
    return Response(
        current.body,
        media_type="application/json",
        headers={"Content-MD5": md5, "X-Fedstack-Version": str(current.version)},
    )


# How long a client that asks (`?wait=indexed`), and an UNLOCK, wait for the inventory at most.
_INDEX_WAIT_SECONDS = 30.0
WaitFor = Annotated[
    Literal["indexed"] | None,
    Query(
        description="`indexed`: answer once the inventory holds this version too (at most 30 s; "
        "`indexed` in the answer says whether it does). Without it the answer comes once the "
        "state is durable and the inventory follows.",
    ),
]


def _store(
    bridge: BridgeContext,
    names: tuple[str, str],
    body: bytes,
    lock_id: str | None,
    md5: str | None,
    who: str,
    wait: str | None,
) -> dict[str, Any]:
    # Checksum and JSON parsing of a large state take a while: they run here, off the event loop.
    # The body is parsed and hashed once; the Content-MD5 check reuses that digest. A body that
    # fails the check is refused before anything is stored, whatever its content. The shape is
    # checked here too (a bad one is a 400); the per-resource work waits for the indexer. The
    # body's compression for storage runs beside the parse (`receive_state`).
    try:
        state = receive_state(body)
    except BridgeError:
        check_content_md5(body, md5)  # corrupted in transit says so, not "not JSON"
        raise
    check_content_md5(body, md5, md5_hex=state.md5)
    keep = bridge.settings.keep_versions
    result = write_state(
        bridge.engine, *names, state, lock_id=lock_id or None, who=who, keep_versions=keep
    )
    # Durable from here on: acknowledged whatever happens to the indexing.
    # The indexer keeps the parsed document, not the stored form.
    bridge.indexer.submit(names, result.stack_id, result.version, replace(state, packed=None))
    # Whether the inventory holds this version as the answer leaves: waited for when asked.
    indexed = bridge.indexer.wait(
        result.stack_id, result.version, _INDEX_WAIT_SECONDS if wait == "indexed" else 0
    )
    return {
        "version": result.version,
        "created": result.created,
        "serial": state.serial,
        "indexed": indexed,
    }


async def _write(
    request: Request,
    names: tuple[str, str],
    who: Principal,
    lock_id: str | None,
    md5: str | None,
    wait: str | None,
) -> JSONResponse:
    who.require("state:write", names[0])
    body = await read_body(request)
    return JSONResponse(
        await run_in_threadpool(
            _store, context(request), names, body, lock_id, md5, who.token_id, wait
        )
    )


@router.post(
    _STATE,
    summary="Store a new state version",
    response_model=StateWritten,
    openapi_extra=_STATE_BODY,
    responses=errors(409, 413, 423, 503),
)
async def post_state(
    names: Names,
    who: Caller,
    request: Request,
    lock_id: LockID = None,
    content_md5: Annotated[str | None, Header(alias="Content-MD5")] = None,
    wait: WaitFor = None,
) -> JSONResponse:
    """Store the body as the stack's new version (lock, lineage, serial and size checked).

    The answer comes once the version is durable; its inventory follows (`indexed_through` in
    the inventory), or is there first with `wait=indexed`.
    """
    return await _write(request, names, who, lock_id, content_md5, wait)


@router.put(
    _STATE,
    summary="Store a new state version (same as POST)",
    response_model=StateWritten,
    openapi_extra=_STATE_BODY,
    responses=errors(409, 413, 423, 503),
)
async def put_state(
    names: Names,
    who: Caller,
    request: Request,
    lock_id: LockID = None,
    content_md5: Annotated[str | None, Header(alias="Content-MD5")] = None,
    wait: WaitFor = None,
) -> JSONResponse:
    """Same as POST, for clients configured with `update_method = "PUT"`."""
    return await _write(request, names, who, lock_id, content_md5, wait)


@router.delete(
    _STATE,
    summary="Empty the stack (versions are kept)",
    response_model=StateDeleted,
    responses=errors(409, 423),
)
async def delete(names: Names, presented: Presented, lock_id: LockID = None) -> dict[str, Any]:
    """Make the stack empty; every stored version stays readable and restorable."""
    project, stack = names
    engine = presented.bridge.engine

    def empty(who: Principal) -> bool:
        return delete_state(engine, project, stack, lock_id=lock_id or None, who=who.token_id)

    return {"deleted": await presented.run("state:write", project, empty)}


async def _lock(request: Request, names: tuple[str, str], who: Principal) -> JSONResponse:
    project, stack = names
    who.require("state:write", project)
    info = parse_lock_info(await read_body(request))
    bridge = context(request)
    try:
        await run_in_threadpool(acquire, bridge.engine, project, stack, info, who.token_id)
    except BridgeError as exc:
        if exc.status == 423:
            bridge.metrics.lock_conflicts.inc()
        raise
    return JSONResponse(info)


async def _unlock(request: Request, names: tuple[str, str], who: Principal) -> JSONResponse:
    project, stack = names
    who.require("state:write", project)
    body = await read_body(request)
    engine = context(request).engine
    info = parse_lock_info(body) if body.strip() else None
    # Terraform's force-unlock sends no body; an ID-only body is the same request from other
    # clients. Breaking someone else's lock is for admins; releasing your own is not.
    if info is None or set(info) == {"ID"}:
        who.require("admin", project)
        lock_id = info["ID"] if info else None
        broken = await run_in_threadpool(
            force_release, engine, project, stack, lock_id, who.token_id
        )
        return JSONResponse({"unlocked": broken, "forced": True})
    # Not locked at all is a success too: a retried UNLOCK must not fail the client's run.
    released = await run_in_threadpool(release, engine, project, stack, info["ID"], who.token_id)
    # Terraform unlocks last: once `terraform apply` returns, the inventory and findings show
    # the state it wrote (the state itself was durable when its POST was answered).
    indexer = context(request).indexer
    await run_in_threadpool(indexer.wait_for_names, names, _INDEX_WAIT_SECONDS)
    return JSONResponse({"unlocked": released, "forced": False})


_LOCK_RESPONSES = errors(409, 413, 423)


@router.api_route(_LOCK, methods=["LOCK"], include_in_schema=False)
async def lock_custom(names: Names, who: Caller, request: Request) -> JSONResponse:
    """LOCK with Terraform's LockInfo JSON."""
    return await _lock(request, names, who)


@router.post(
    _LOCK,
    summary="Take the lock (same as LOCK)",
    response_model=LockInfoBody,
    responses=_LOCK_RESPONSES,
    openapi_extra=_LOCK_BODY,
)
async def lock_post(names: Names, who: Caller, request: Request) -> JSONResponse:
    """Take the lock with Terraform's LockInfo JSON; 423 with the holder's LockInfo when taken."""
    return await _lock(request, names, who)


@router.api_route(_LOCK, methods=["UNLOCK"], include_in_schema=False)
async def unlock_custom(names: Names, who: Caller, request: Request) -> JSONResponse:
    """UNLOCK with the LockInfo JSON; no body or an ID-only body is a force-unlock (admin)."""
    return await _unlock(request, names, who)


@router.delete(
    _LOCK,
    summary="Release the lock (same as UNLOCK)",
    response_model=Unlocked,
    responses=_LOCK_RESPONSES,
    openapi_extra=_UNLOCK_BODY,
)
async def unlock_delete(names: Names, who: Caller, request: Request) -> JSONResponse:
    """Release the lock; no body or an ID-only body is a force-unlock, for the admin scope only."""
    return await _unlock(request, names, who)


@router.get(
    _LOCK,
    summary="Who holds the lock",
    responses={200: {"model": LockInfoBody}, 204: {"description": "Not locked"}},
)
async def get_lock(names: Names, presented: Presented) -> Response:
    """The holder's LockInfo (200), or 204 when the stack is not locked."""
    project, stack = names
    current = await presented.read(
        "state:read", project, lambda _, conn: holder(conn, project, stack)
    )
    if current is None:
        return Response(status_code=204)
    return Response(json.dumps(current.info), media_type="application/json")


@router.get(
    _STATE + "/versions",
    summary="Every stored version",
    response_model=Versions,
    responses=errors(404),
)
async def versions(
    names: Names,
    presented: Presented,
    serial: Annotated[
        int | None, Query(ge=0, le=2**63 - 1, description="Only versions with this serial")
    ] = None,
) -> dict[str, Any]:
    """Every version of the stack (or those with one serial), oldest first, without bodies."""
    project, stack = names
    found = await presented.read(
        "state:read", project, lambda _, conn: list_versions(conn, project, stack)
    )
    if serial is not None:
        found = [v for v in found if v.serial == serial]
    return {"project": project, "stack": stack, "versions": [v.__dict__ for v in found]}


@router.get(
    _STATE + "/versions/{version}",
    summary="One stored version",
    responses={200: _STATE_ANSWER, **errors(404, 503)},
)
async def version(names: Names, version: VersionNumber, presented: Presented) -> Response:
    """The body of one stored version, exactly as it was written."""
    project, stack = names
    stored = await presented.read(
        "state:read", project, lambda _, conn: get_version(conn, project, stack, version)
    )
    return Response(
        stored.body,
        media_type="application/json",
        headers={"X-Fedstack-Version": str(stored.version)},
    )


@router.post(
    _STATE + "/versions/{version}/restore",
    summary="Restore a version (admin)",
    response_model=Restored,
    responses=errors(404, 423, 503),
)
async def restore(names: Names, version: VersionNumber, presented: Presented) -> dict[str, Any]:
    """Write an old version again as a new version (its serial moved past the newest)."""
    project, stack = names
    bridge = presented.bridge

    def copy(who: Principal) -> WriteResult:
        keep = bridge.settings.keep_versions
        return restore_version(
            bridge.engine, project, stack, version, who=who.token_id, keep_versions=keep
        )

    result = await presented.run("admin", project, copy)
    bridge.indexer.submit(names, result.stack_id, result.version)
    return {"version": result.version, "restored_from": version}
