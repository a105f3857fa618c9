"""State versions: read the current state, write a new version, delete, list, fetch and restore.

Every write runs in one transaction that holds the stack row (BEGIN IMMEDIATE on SQLite,
SELECT ... FOR UPDATE on PostgreSQL): the checks, the new version (the body, sealed) and the
audit entry commit together or not at all, and that commit is the acknowledgement. The
inventory and policy findings of the new version are built after it (`index_stack`, run by the
bridge's indexer); the stack's `indexed_version` says how far they are. A version number is
written once and never changed. Must not import the web framework.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fedstack.bridge._compression import pack
from fedstack.bridge._errors import Conflict, LockConflict, NotFound
from fedstack.bridge._statefile import ParsedState, parse_state, with_serial
from fedstack.bridge.store._audit import record
from fedstack.bridge.store._compliance import evaluate_stack
from fedstack.bridge.store._engine import connected, write_transaction
from fedstack.bridge.store._locks import check_holder, current_lock
from fedstack.bridge.store._models import resources, stacks, state_versions
from fedstack.bridge.store._periods import aware
from fedstack.bridge.store._retention import prune_versions
from fedstack.bridge.store._rows import lock_stack_row, stack_row
from fedstack.bridge.store._sealing import check_sealed_with_known_key, open_body, seal_body
from sqlalchemy import Connection, Dialect, Engine, Row, bindparam, delete, func, select

__all__ = [
    "StoredState",
    "VersionInfo",
    "WriteResult",
    "delete_state",
    "get_version",
    "list_versions",
    "read_current",
    "restore_version",
    "write_state",
]


@dataclass(frozen=True)
class StoredState:
    """One stored version with its body."""

    version: int
    serial: int | None
    lineage: str | None
    md5: str
    sha256: str
    body: bytes


@dataclass(frozen=True)
class VersionInfo:
    """One version of a stack's state, without its body."""

    version: int
    serial: int | None
    lineage: str | None
    encrypted: bool
    size: int
    sha256: str
    created_at: datetime
    created_by: str
    origin: str
    restored_from: int | None
    current: bool


@dataclass(frozen=True)
class WriteResult:
    """What a write did: the version now current, whether a new one was stored, and the stack."""

    version: int
    created: bool
    stack_id: int


# The current version of a stack, by project and stack name.
_CURRENT = (
    select(state_versions)
    .join(stacks, stacks.c.id == state_versions.c.stack_id)
    .where(
        stacks.c.project == bindparam("project"),
        stacks.c.name == bindparam("stack"),
        state_versions.c.version == stacks.c.current_version,
    )
)


def read_current(bind: Engine | Connection, project: str, stack: str) -> StoredState | None:
    """The current state of a stack, or None when it has none (new, empty or deleted). `bind`
    may be the connection that checked the caller's token (one checkout per GET)."""
    names = {"project": project, "stack": stack}
    with connected(bind) as conn:
        if conn.dialect.name == "postgresql":
            row = _first_binary(conn, _compiled_current(conn.dialect), names)
        else:
            row = conn.execute(_CURRENT, names).first()
    return None if row is None else _stored(row)


@functools.lru_cache(maxsize=4)
def _compiled_current(dialect: Dialect) -> str:
    # Compiled once per dialect: building and compiling the query cost ~0.5 ms of every GET.
    return str(_CURRENT.compile(dialect=dialect))


def _first_binary(conn: Connection, sql: str, params: dict[str, Any]) -> Any:
    """The first row by PostgreSQL's binary protocol: a bytea body arrives as its bytes, not as
    hex text twice its size that the client then decodes (half the bytes on the wire for a GET).
    """
    from psycopg.rows import namedtuple_row

    driver = conn.connection.driver_connection
    with driver.cursor(binary=True, row_factory=namedtuple_row) as cursor:  # type: ignore[union-attr]
        cursor.execute(sql, params)
        return cursor.fetchone()


def write_state(
    engine: Engine,
    project: str,
    stack: str,
    state: ParsedState,
    *,
    lock_id: str | None,
    who: str,
    keep_versions: int = 0,
) -> WriteResult:
    """Store `state` as the stack's new version after the lock, lineage and serial checks.

    With `keep_versions` > 0 (an explicit retention setting) older versions beyond that many go.
    """
    with write_transaction(engine) as conn:
        row = lock_stack_row(conn, project, stack)
        _check_lock(conn, project, stack, lock_id, who)
        current = _current(conn, row)
        if current is not None and current.sha256 == state.sha256:
            return WriteResult(current.version, created=False, stack_id=row.id)  # a retry
        if current is not None:
            _check_successor(project, stack, current, state)
        version = _insert_version(conn, row, state, who=who, origin="write")
        record(
            conn,
            who,
            "write",
            project,
            stack,
            version=version,
            serial=state.serial,
            lock_id=lock_id,
        )
        prune_versions(conn, row, version, keep_versions, who=who)
    return WriteResult(version, created=True, stack_id=row.id)


def delete_state(
    engine: Engine, project: str, stack: str, *, lock_id: str | None, who: str
) -> bool:
    """Make the stack empty; every version is kept. False when it had no current state."""
    with write_transaction(engine) as conn:
        row = lock_stack_row(conn, project, stack)
        _check_lock(conn, project, stack, lock_id, who)
        if row.current_version is None:
            return False
        conn.execute(delete(resources).where(resources.c.stack_id == row.id))
        evaluate_stack(conn, project, stack)
        conn.execute(
            stacks.update()
            .where(stacks.c.id == row.id)
            .values(
                current_version=None,
                indexed_version=None,
                resource_count=0,
                encrypted=False,
                updated_at=datetime.now(UTC),
            )
        )
        record(conn, who, "delete", project, stack, version=row.current_version)
    return True


def list_versions(bind: Engine | Connection, project: str, stack: str) -> list[VersionInfo]:
    """Every version of a stack, oldest first; NotFound for a stack the bridge never saw."""
    columns = [c for c in state_versions.c if c.name != "body"]
    with connected(bind) as conn:
        row = stack_row(conn, project, stack)
        found = conn.execute(
            select(*columns)
            .where(state_versions.c.stack_id == row.id)
            .order_by(state_versions.c.version)
        ).all()
    return [
        VersionInfo(
            version=v.version,
            serial=v.serial,
            lineage=v.lineage,
            encrypted=v.encrypted,
            size=v.size,
            sha256=v.sha256,
            created_at=aware(v.created_at),
            created_by=v.created_by,
            origin=v.origin,
            restored_from=v.restored_from,
            current=v.version == row.current_version,
        )
        for v in found
    ]


def get_version(bind: Engine | Connection, project: str, stack: str, version: int) -> StoredState:
    """One stored version with its body; NotFound when there is no such version."""
    with connected(bind) as conn:
        row = stack_row(conn, project, stack)
        found = conn.execute(
            select(state_versions).where(
                state_versions.c.stack_id == row.id, state_versions.c.version == version
            )
        ).first()
    if found is None:
        raise NotFound(f"{project}/{stack} has no version {version}")
    return _stored(found)


def restore_version(
    engine: Engine, project: str, stack: str, version: int, *, who: str, keep_versions: int = 0
) -> WriteResult:
    """Make an old version current again by writing it as a new version (serial moved past the newest)."""
    with write_transaction(engine) as conn:
        row = lock_stack_row(conn, project, stack)
        holder = current_lock(conn, project, stack)
        if holder is not None:
            raise LockConflict(
                f"{project}/{stack} is locked; restore it once the lock is released", holder.info
            )
        source = conn.execute(
            select(state_versions).where(
                state_versions.c.stack_id == row.id, state_versions.c.version == version
            )
        ).first()
        if source is None:
            raise NotFound(f"{project}/{stack} has no version {version}")
        state = parse_state(open_body(source))
        if not state.encrypted:
            # Terraform refuses a state whose serial is not above the one it last saw.
            # max() skips the NULL serials of encrypted versions (ORDER BY would not, on PostgreSQL).
            newest = conn.execute(
                select(func.max(state_versions.c.serial)).where(state_versions.c.stack_id == row.id)
            ).scalar_one()
            state = parse_state(with_serial(state, int(newest or 0) + 1))
        new = _insert_version(conn, row, state, who=who, origin="restore", restored_from=version)
        record(conn, who, "restore", project, stack, version=new, restored_from=version)
        prune_versions(conn, row, new, keep_versions, who=who)
    return WriteResult(new, created=True, stack_id=row.id)


# -- helpers run inside one transaction ------------------------------------------------------


def _check_lock(conn: Connection, project: str, stack: str, lock_id: str | None, who: str) -> None:
    holder = current_lock(conn, project, stack)
    if holder is None:
        if lock_id:
            raise Conflict(
                f"{project}/{stack} is not locked, but the write carries lock ID {lock_id}: "
                "the lock was released or broken; run again"
            )
        return
    if lock_id != holder.lock_id:
        said = f"lock ID {lock_id}" if lock_id else "no lock ID"
        raise LockConflict(
            f"{project}/{stack} is locked (ID {holder.lock_id}); the write carries {said}",
            holder.info,
        )
    check_holder(holder, project, stack, who, "write")


_HEAD = select(
    state_versions.c.version,
    state_versions.c.serial,
    state_versions.c.lineage,
    state_versions.c.sha256,
    state_versions.c.key_id,
).where(
    state_versions.c.stack_id == bindparam("stack_id"),
    state_versions.c.version == bindparam("version"),
)


@dataclass(frozen=True)
class _Head:
    """What a write checks of the current version; its body is not read (nor decrypted)."""

    version: int
    serial: int | None
    lineage: str | None
    sha256: str
    key_id: str | None


def _current(conn: Connection, row: Row[Any]) -> _Head | None:
    if row.current_version is None:
        return None
    found = conn.execute(_HEAD, {"stack_id": row.id, "version": row.current_version}).one()
    # A bridge started before a key rotation must not go on sealing with the retired key.
    check_sealed_with_known_key(found.key_id, found.version)
    return _Head(found.version, found.serial, found.lineage, found.sha256, found.key_id)


def _check_successor(project: str, stack: str, current: _Head, state: ParsedState) -> None:
    if current.lineage is None or state.lineage is None:
        return  # an encrypted state on either side: the bridge cannot see lineage or serial
    if state.lineage != current.lineage:
        raise Conflict(
            f"lineage mismatch for {project}/{stack}: the stored state has lineage {current.lineage}, "
            f"this one {state.lineage}; it belongs to another state (delete the stack first to replace it)"
        )
    if current.serial is not None and state.serial is not None and state.serial <= current.serial:
        raise Conflict(
            f"serial {state.serial} is not above the stored serial {current.serial} for {project}/{stack} "
            "and the body differs: refusing to overwrite newer state"
        )


def _insert_version(
    conn: Connection,
    row: Row[Any],
    state: ParsedState,
    *,
    who: str,
    origin: str,
    restored_from: int | None = None,
) -> int:
    version = row.last_version + 1
    now = datetime.now(UTC)
    packed = state.packed if state.packed is not None else pack(state.body)
    body, key_id = seal_body(packed, row.id, version)
    conn.execute(
        _NEW_VERSION,
        {
            "stack_id": row.id,
            "version": version,
            "serial": state.serial,
            "lineage": state.lineage,
            "encrypted": state.encrypted,
            "size": state.size,
            "md5": state.md5,
            "sha256": state.sha256,
            "body": body,
            "key_id": key_id,
            "codec": packed.codec,
            "created_at": now,
            "created_by": who,
            "origin": origin,
            "restored_from": restored_from,
        },
    )
    conn.execute(
        _ADVANCE, {"id_": row.id, "to": version, "encrypted_": state.encrypted, "now": now}
    )
    return version


# Built once: constructing these cost a write more than SQLite took to run them.
_NEW_VERSION = state_versions.insert()
_ADVANCE = (
    stacks.update()
    .where(stacks.c.id == bindparam("id_"))
    .values(
        current_version=bindparam("to"),
        last_version=bindparam("to"),
        encrypted=bindparam("encrypted_"),
        updated_at=bindparam("now"),
    )
)


def _stored(row: Row[Any]) -> StoredState:
    return StoredState(row.version, row.serial, row.lineage, row.md5, row.sha256, open_body(row))
