"""The cross-provider inventory: index a state's resources, set stack placement, query.

Body first, index after: a state write commits the body and its version and acknowledges; the
bridge's indexer (`fedstack.bridge._indexer`) then calls `index_stack`, which replaces the
stack's rows and its policy findings by those of its current version in one transaction and
records that version in `stacks.indexed_version`. The inventory may trail the current state for
the time that takes, and says so (`index_status`). Must not import the web framework.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fedstack.bridge._placement import Placement, placement_of_region, placement_of_stack
from fedstack.bridge._resources import resource_rows
from fedstack.bridge._statefile import ParsedState, parse_state
from fedstack.bridge.store._audit import record
from fedstack.bridge.store._compliance import evaluate_stack
from fedstack.bridge.store._engine import connected, is_sqlite, write_transaction
from fedstack.bridge.store._models import (
    SQLITE_TEXT_INDEX,
    locks,
    resources,
    stacks,
    state_versions,
)
from fedstack.bridge.store._names import check_name
from fedstack.bridge.store._paging import Page, decode_cursor, encode_cursor
from fedstack.bridge.store._periods import aware
from fedstack.bridge.store._rows import lock_stack_row
from fedstack.bridge.store._sealing import open_body
from sqlalchemy import (
    Connection,
    Engine,
    Row,
    Select,
    delete,
    func,
    literal,
    select,
    text,
    tuple_,
)

__all__ = [
    "ENCRYPTED_NOTE",
    "INVENTORY_COUNT_CAP",
    "InventoryFilter",
    "IndexLag",
    "InventoryPage",
    "InventoryResource",
    "PlacementKey",
    "StackInfo",
    "UnindexedStack",
    "index_stack",
    "index_state",
    "index_status",
    "indexed_version",
    "refresh_statistics",
    "trailing_stacks",
    "inventory_page",
    "inventory_by_placement",
    "list_stacks",
    "set_stack_placement",
    "stack_summary",
    "unindexed_stacks",
]

ENCRYPTED_NOTE = "encrypted, not indexed"
PlacementKey = tuple[str | None, str | None, str | None]
"""(provider, region, country) of inventory rows and drift periods; None where unknown."""
_BATCH = 1000


@dataclass(frozen=True)
class InventoryFilter:
    """What `GET /v1/inventory` filters on; None means any. `text` matches address and attributes."""

    projects: list[str] | None = None
    project: str | None = None
    stack: str | None = None
    provider: str | None = None
    region: str | None = None
    country: str | None = None
    type: str | None = None
    text: str | None = None


def index_state(conn: Connection, stack: Row[Any], state: ParsedState) -> int:
    """Replace the stack's inventory rows by the resources of `state` (none when encrypted);
    returns how many rows it now has."""
    conn.execute(delete(resources).where(resources.c.stack_id == stack.id))
    if state.encrypted:
        return 0
    fixed = (
        placement_of_stack(stack.provider, stack.region)
        if stack.provider and stack.region
        else None
    )
    items = resource_rows(state.document)
    count = len(items)
    items.reverse()  # popped from the end: each row is freed once it is written
    rows: list[dict[str, Any]] = []
    while items:
        item = items.pop()
        place = fixed or placement_of_region(item.region)
        rows.append(
            {
                "stack_id": stack.id,
                "project": stack.project,
                "stack": stack.name,
                "address": item.address,
                "type": item.type,
                "name": item.name,
                "module": item.module,
                "index_key": item.index_key,
                "terraform_provider": item.terraform_provider,
                "provider": place.provider,
                "region": place.region,
                "country": place.country,
                "attributes": json.dumps(item.attributes, sort_keys=True),
                "search": item.search_text(),
            }
        )
        # Batches bound the memory of a large state to one batch of encoded rows.
        if len(rows) >= _BATCH or not items:
            conn.execute(resources.insert(), rows)
            rows = []
    return count


def index_stack(
    engine: Engine, stack_id: int, hint: tuple[int, ParsedState] | None = None
) -> int | None:
    """Bring one stack's inventory and findings to its current version; returns that version.

    `hint` is (version, parsed state) from the write that just stored it, so the body is not
    read and parsed twice; anything else (a catch-up after a restart) reads the stored body.
    Holding the stack row serialises this with writes and with the indexers of other replicas.
    Its commit does not wait for the disk: a crash of the machine may undo it, and the catch-up
    (`trailing_stacks`) indexes the version again.
    """
    with write_transaction(engine, durable=False) as conn:
        row = conn.execute(select(stacks).where(stacks.c.id == stack_id)).first()
        if row is None:
            return None
        row = lock_stack_row(conn, row.project, row.name)
        if row.indexed_version == row.current_version:
            return row.current_version
        count = 0
        if row.current_version is None:
            conn.execute(delete(resources).where(resources.c.stack_id == row.id))
        else:
            if hint is not None and hint[0] == row.current_version:
                state = hint[1]
            else:
                state = parse_state(open_body(_version_row(conn, row.id, row.current_version)))
            count = index_state(conn, row, state)
        evaluate_stack(conn, row.project, row.name)
        conn.execute(
            stacks.update()
            .where(stacks.c.id == row.id)
            .values(indexed_version=row.current_version, resource_count=count)
        )
        return row.current_version


def _version_row(conn: Connection, stack_id: int, version: int) -> Row[Any]:
    return conn.execute(
        select(state_versions).where(
            state_versions.c.stack_id == stack_id, state_versions.c.version == version
        )
    ).one()


# autovacuum's own rule for when a table's planner statistics are stale (PostgreSQL's defaults),
# and the same share of growth in pages (8 pages: a small table is not analyzed on every write).
_ANALYZE_BASE, _ANALYZE_SCALE, _ANALYZE_PAGES = 50, 0.1, 8
_STATISTICS = text(
    "SELECT c.reltuples, c.relpages,"
    " pg_relation_size(c.oid) / current_setting('block_size')::int AS pages,"
    " coalesce(s.n_mod_since_analyze, 0) AS modified"
    " FROM pg_class c LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid"
    " WHERE c.oid = 'resources'::regclass"
)


def refresh_statistics(engine: Engine) -> bool:
    """PostgreSQL: VACUUM (ANALYZE) the inventory now when autovacuum would (True when it ran).

    The indexer replaces whole stacks of rows at once; until autovacuum's next round (up to a
    minute) the planner keeps the row count of before, and over 100,000 rows freshly indexed into
    a table it believes holds 11,000 it sorts the whole table for a deep page (seen: 230 ms
    instead of 20). The indexer calls this once it has caught up. Stale means: never analyzed,
    more rows changed than autovacuum allows (a count that can lag by a second or more), or the
    table grown or shrunk by as large a share of its pages (which does not lag). SQLite keeps no
    statistics.
    """
    if is_sqlite(engine):
        return False
    with engine.connect() as conn:
        found = conn.execute(_STATISTICS).one()
        if found.reltuples < 0:
            stale = found.pages > 0
        else:
            stale = (
                found.modified > _ANALYZE_BASE + _ANALYZE_SCALE * found.reltuples
                or abs(found.pages - found.relpages)
                > _ANALYZE_PAGES + _ANALYZE_SCALE * found.relpages
            )
    if not stale:
        return False
    # VACUUM runs outside a transaction; it also marks the pages all-visible, so a deep page's
    # walk of the listing index and the capped counts read the index alone (measured on 100,000
    # fresh rows: the walk to offset 50,000 from 23-33 ms down to 10-13 ms).
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM (ANALYZE) resources"))
    return True


def indexed_version(engine: Engine, stack_id: int) -> int | None:
    """The version whose resources the stack's inventory holds (None: none indexed)."""
    with engine.connect() as conn:
        return conn.execute(
            select(stacks.c.indexed_version).where(stacks.c.id == stack_id)
        ).scalar_one_or_none()


def trailing_stacks(engine: Engine) -> dict[int, int | None]:
    """The current version of each stack whose inventory trails it, by stack id (the indexer's work)."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(stacks.c.id, stacks.c.current_version)
            .where(stacks.c.indexed_version.is_distinct_from(stacks.c.current_version))
            .order_by(stacks.c.id)
        ).all()
    return {row.id: row.current_version for row in rows}


@dataclass(frozen=True)
class IndexLag:
    """A stack whose inventory rows are of an older version than its current state."""

    project: str
    stack: str
    current_version: int | None
    indexed_through: int | None


def index_status(
    bind: Engine | Connection,
    projects: list[str] | None,
    project: str | None = None,
    stack: str | None = None,
) -> list[IndexLag]:
    """The stacks (of those the caller sees) whose inventory trails their current state."""
    query = select(stacks).where(
        stacks.c.indexed_version.is_distinct_from(stacks.c.current_version)
    )
    if projects is not None:
        query = query.where(stacks.c.project.in_(projects))
    if project is not None:
        query = query.where(stacks.c.project == project)
    if stack is not None:
        query = query.where(stacks.c.name == stack)
    with connected(bind) as conn:
        rows = conn.execute(query.order_by(stacks.c.project, stacks.c.name)).all()
    return [IndexLag(r.project, r.name, r.current_version, r.indexed_version) for r in rows]


def set_stack_placement(
    engine: Engine, project: str, stack: str, provider: str, region: str, *, who: str
) -> Placement:
    """Record where a stack runs (checked against the catalog) and re-place its inventory rows."""
    place = placement_of_stack(provider, region)
    with write_transaction(engine) as conn:
        row = lock_stack_row(conn, project, stack)
        conn.execute(
            stacks.update()
            .where(stacks.c.id == row.id)
            .values(provider=provider, region=region, updated_at=datetime.now(UTC))
        )
        conn.execute(
            resources.update()
            .where(resources.c.stack_id == row.id)
            .values(provider=place.provider, region=place.region, country=place.country)
        )
        evaluate_stack(conn, project, stack)
        record(conn, who, "placement", project, stack, provider=provider, region=region)
    return place


@dataclass(frozen=True)
class InventoryResource:
    """One indexed resource: where it is, what it is, its attributes (sensitive values masked)."""

    project: str
    stack: str
    address: str
    type: str
    name: str
    module: str
    index_key: str | None
    terraform_provider: str
    provider: str | None
    region: str | None
    country: str | None
    attributes: dict[str, Any]


@dataclass(frozen=True)
class StackInfo:
    """One stack: placement, current version, lock, inventory size, whether it is indexed."""

    project: str
    stack: str
    provider: str | None
    region: str | None
    current_version: int | None
    versions: int
    encrypted: bool
    indexed: bool
    note: str | None
    resource_count: int
    indexed_through: int | None
    """The version the inventory rows are of (None: none yet)."""
    index_trails: bool
    """True while the indexer has not caught up with current_version."""
    locked: bool
    updated_at: datetime


@dataclass(frozen=True)
class UnindexedStack:
    """A stack whose current state could not be indexed, and why."""

    project: str
    stack: str
    note: str


INVENTORY_COUNT_CAP = 1000
"""`GET /v1/inventory` counts matches up to this many; past it `total_exact` is False."""

InventoryPage = Page[InventoryResource]
"""One page of `GET /v1/inventory` (keyset cursor: project, stack, address, id of the last row)."""


def inventory_page(
    bind: Engine | Connection,
    where: InventoryFilter,
    *,
    limit: int,
    offset: int = 0,
    after: str | None = None,
) -> InventoryPage:
    """A page of matching resources in listing order (project, stack, address, id).

    With `after` (the `next_after` of the previous page) the page starts right behind that row
    (keyset paging, fedstack.bridge.store._paging); `offset` still works. `total` counts the
    matches up to `INVENTORY_COUNT_CAP` (past it `total_exact` is False and `total` a lower
    bound): an exact count reads every match, which costs more than the page at 100,000 rows.
    `bind` may be the connection that checked the caller's token (one checkout per request).
    """
    # Every column but the search text, which only the filter reads.
    query = select(*(c for c in resources.c if c.name != "search"))
    if where.projects is not None:
        query = query.where(resources.c.project.in_(where.projects))
    for column, value in (
        (resources.c.project, where.project),
        (resources.c.stack, where.stack),
        (resources.c.provider, where.provider),
        (resources.c.region, where.region),
        (resources.c.country, where.country.upper() if where.country else None),
        (resources.c.type, where.type),
    ):
        if value is not None:
            query = query.where(column == value)
    if where.text:
        pattern = "%" + _escape_like(where.text.lower()) + "%"
        query = query.where(resources.c.search.like(pattern, escape="\\"))
        candidates = _text_candidates(bind, where.text)
        if candidates is not None:
            # The trigram table finds the candidate rows; LIKE above keeps the exact meaning.
            query = query.where(resources.c.id.in_(candidates))
    key = (resources.c.project, resources.c.stack, resources.c.address, resources.c.id)
    paged = query
    if after is not None:
        last = decode_cursor(after, (str, str, str, int))
        paged = paged.where(tuple_(*key) > tuple_(*(literal(k) for k in last)))
    with connected(bind) as conn:
        # Counted up to one past the cap: a common filter stops the count early.
        counted = conn.execute(
            select(func.count()).select_from(
                query.with_only_columns(resources.c.id).limit(INVENTORY_COUNT_CAP + 1).subquery()
            )
        ).scalar_one()
        first = None
        if offset and after is None and _by_project_only(where):
            first = _key_via_stack_counts(conn, where, paged, key, offset)
        elif offset:
            first = _row_key_at(conn, paged, key, offset)
        rows: Sequence[Row[Any]] = []  # past the last match when `first` is None
        if not offset or first is not None:
            if first is not None:
                paged = paged.where(tuple_(*key) >= tuple_(*(literal(k) for k in first)))
            rows = conn.execute(paged.order_by(*key).limit(limit)).all()
    next_after = None
    if len(rows) == limit:
        last_row = rows[-1]
        next_after = encode_cursor(
            (last_row.project, last_row.stack, last_row.address, last_row.id)
        )
    exact = counted <= INVENTORY_COUNT_CAP
    total = counted
    if not exact:
        # A lower bound: the cap, or the rows up to the end of this page when that is more.
        total = max(INVENTORY_COUNT_CAP, offset + len(rows) if rows and after is None else 0)
    return InventoryPage(total, [_resource(r) for r in rows], next_after, exact)


def _by_project_only(where: InventoryFilter) -> bool:
    narrowed = (where.stack, where.provider, where.region, where.country, where.type, where.text)
    return all(value is None for value in narrowed)


def _key_via_stack_counts(
    conn: Connection, where: InventoryFilter, query: Select[Any], key: tuple[Any, ...], offset: int
) -> tuple[Any, ...] | None:
    """`_row_key_at` for a listing filtered by project at most: the stacks' row counts say which
    stack holds the row `offset` in, so only that stack's index entries are walked (a deep page
    of a large estate reads at most one stack's, not `offset` of them). When a write moved the
    rows between the two reads, the walk over every match decides.
    """
    found = _stack_holding(conn, where, offset)
    if found is None:
        return None  # past the last row
    project, stack, within = found
    in_stack = query.where(resources.c.project == project, resources.c.stack == stack)
    return _row_key_at(conn, in_stack, key, within) or _row_key_at(conn, query, key, offset)


def _stack_holding(
    conn: Connection, where: InventoryFilter, offset: int
) -> tuple[str, str, int] | None:
    """(project, stack, offset within it) of the row `offset` into the listing, by row counts."""
    c = stacks.c
    through = func.sum(c.resource_count).over(order_by=(c.project, c.name)).label("through")
    counted = select(c.project, c.name, c.resource_count, through).where(c.resource_count > 0)
    if where.projects is not None:
        counted = counted.where(c.project.in_(where.projects))
    if where.project is not None:
        counted = counted.where(c.project == where.project)
    running = counted.subquery()
    found = conn.execute(
        select(running)
        .where(running.c.through > offset)
        .order_by(running.c.project, running.c.name)
        .limit(1)
    ).first()
    if found is None:
        return None
    return found.project, found.name, offset - (int(found.through) - found.resource_count)


def _row_key_at(
    conn: Connection, query: Select[Any], key: tuple[Any, ...], offset: int
) -> tuple[Any, ...] | None:
    """The listing key of the match `offset` rows into `query` (None: there are not that many).

    Only the key columns are read, so the skipped rows come off the listing index alone (an
    index-only scan) instead of each being fetched whole; the page then starts at that key.
    """
    found = conn.execute(
        query.with_only_columns(*key).order_by(*key).offset(offset).limit(1)
    ).first()
    return None if found is None else tuple(found)


_text_index: dict[str, bool] = {}
# Up to this many trigram matches the page is read by row id from the FTS5 table; past it a walk
# of the listing index that tests each row finds a page sooner than sorting every match.
_FTS_DRIVES_BELOW = 2000


def _text_candidates(bind: Engine | Connection, needle: str) -> Any:
    """On SQLite with the FTS5 table, the row ids holding `needle` when they are few, else None."""
    engine = bind.engine  # an Engine's `engine` is itself
    if not is_sqlite(engine) or len(needle) < 3 or not _has_text_index(engine):
        return None  # under three characters there is no trigram to look up
    phrase = '"' + needle.lower().replace('"', '""') + '"'
    match = f"FROM {SQLITE_TEXT_INDEX} WHERE {SQLITE_TEXT_INDEX} MATCH :phrase"
    with connected(bind) as conn:
        # Counted only up to the bound: a common needle stops the count early.
        found = conn.execute(
            text(f"SELECT count(*) FROM (SELECT rowid {match} LIMIT {_FTS_DRIVES_BELOW})"),
            {"phrase": phrase},
        ).scalar_one()
    if found >= _FTS_DRIVES_BELOW:
        return None
    return text(f"SELECT rowid {match}").bindparams(phrase=phrase)


def _has_text_index(engine: Engine) -> bool:
    """Whether migration 0010 could create the FTS5 table here (not where SQLite lacks trigram)."""
    key = str(engine.url)
    if key not in _text_index:
        with engine.connect() as conn:
            found = conn.execute(
                text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"),
                {"name": SQLITE_TEXT_INDEX},
            ).first()
        _text_index[key] = found is not None
    return _text_index[key]


# A stack with its lock's ID, as `list_stacks` and `stack_summary` answer it.
_STACKS = select(stacks, locks.c.lock_id).outerjoin(
    locks, (locks.c.project == stacks.c.project) & (locks.c.stack == stacks.c.name)
)


def list_stacks(bind: Engine | Connection, projects: list[str] | None) -> list[StackInfo]:
    """Every stack the caller may see, with placement, current version and inventory size."""
    query = _STACKS.order_by(stacks.c.project, stacks.c.name)
    if projects is not None:
        query = query.where(stacks.c.project.in_(projects))
    with connected(bind) as conn:
        return [_stack(r) for r in conn.execute(query).all()]


def unindexed_stacks(bind: Engine | Connection, projects: list[str] | None) -> list[UnindexedStack]:
    """Stacks whose current state could not be indexed (encrypted OpenTofu states), with why."""
    query = select(stacks.c.project, stacks.c.name).where(stacks.c.encrypted.is_(True))
    if projects is not None:
        query = query.where(stacks.c.project.in_(projects))
    with connected(bind) as conn:
        rows = conn.execute(query.order_by(stacks.c.project, stacks.c.name)).all()
    return [UnindexedStack(r.project, r.name, ENCRYPTED_NOTE) for r in rows]


def stack_summary(bind: Engine | Connection, project: str, stack: str) -> StackInfo | None:
    """One stack as in `list_stacks`, or None when the bridge never saw it."""
    check_name("project", project)
    query = _STACKS.where(stacks.c.project == project, stacks.c.name == stack)
    with connected(bind) as conn:
        found = conn.execute(query).first()
    return None if found is None else _stack(found)


def _stack(row: Row[Any]) -> StackInfo:
    return StackInfo(
        project=row.project,
        stack=row.name,
        provider=row.provider,
        region=row.region,
        current_version=row.current_version,
        versions=row.last_version,
        encrypted=row.encrypted,
        indexed=not row.encrypted,
        note=ENCRYPTED_NOTE if row.encrypted else None,
        resource_count=row.resource_count,
        # The version the inventory rows are of; behind current_version while the indexer works.
        indexed_through=row.indexed_version,
        index_trails=row.indexed_version != row.current_version,
        locked=row.lock_id is not None,
        updated_at=aware(row.updated_at),
    )


def _resource(row: Row[Any]) -> InventoryResource:
    return InventoryResource(
        project=row.project,
        stack=row.stack,
        address=row.address,
        type=row.type,
        name=row.name,
        module=row.module,
        index_key=row.index_key,
        terraform_provider=row.terraform_provider,
        provider=row.provider,
        region=row.region,
        country=row.country,
        attributes=json.loads(row.attributes),
    )


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def inventory_by_placement(
    engine: Engine, projects: list[str] | None
) -> dict[tuple[str, str], dict[PlacementKey, int]]:
    """Inventory size per (project, stack) and (provider, region, country), for the dashboard."""
    query = select(
        resources.c.project,
        resources.c.stack,
        resources.c.provider,
        resources.c.region,
        resources.c.country,
        func.count().label("n"),
    ).group_by(
        resources.c.project,
        resources.c.stack,
        resources.c.provider,
        resources.c.region,
        resources.c.country,
    )
    if projects is not None:
        query = query.where(resources.c.project.in_(projects))
    result: dict[tuple[str, str], dict[PlacementKey, int]] = {}
    with engine.connect() as conn:
        for r in conn.execute(query).all():
            result.setdefault((r.project, r.stack), {})[(r.provider, r.region, r.country)] = r.n
    return result
