"""Pages of a listing: the match count, the rows, and an `after` cursor for the next page.

Keyset paging: a page that starts `after` a cursor starts right behind the row it names through
the listing's index, as fast deep in a list as at its start (`offset` still works, but reads and
skips every row before the page). A cursor is the listing key of the last row, opaque to
clients. Must not import the web framework.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from fedstack.bridge._errors import BadRequest
from sqlalchemy import Column, Engine, Row, Select, func, select

__all__ = ["Page", "decode_cursor", "encode_cursor", "newest_first"]

T = TypeVar("T")
U = TypeVar("U")

_BAD_CURSOR = "the 'after' cursor is not one this bridge handed out"


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a listing: how many match in all, this page's items, where the next starts."""

    total: int
    items: list[T]
    next_after: str | None
    """Cursor of the last item (None on the last page); pass it as `after` for the next page."""
    total_exact: bool = True
    """False when the count stopped at its cap: then `total` is a lower bound, not the count."""

    def map(self, convert: Callable[[T], U]) -> Page[U]:
        """The same page with every item converted."""
        return Page(
            self.total, [convert(item) for item in self.items], self.next_after, self.total_exact
        )


def encode_cursor(key: tuple[str | int, ...]) -> str:
    """The cursor naming the row with listing key `key`."""
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, kinds: tuple[type, ...]) -> tuple[Any, ...]:
    """The listing key inside `cursor`, of the given kinds; BadRequest for anything else."""
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error):
        raise BadRequest(_BAD_CURSOR) from None
    if not isinstance(key, list) or len(key) != len(kinds):
        raise BadRequest(_BAD_CURSOR)
    for value, kind in zip(key, kinds, strict=True):
        # bool is an int to Python, never to a listing key; ids fit a signed 64-bit column.
        if not isinstance(value, kind) or isinstance(value, bool):
            raise BadRequest(_BAD_CURSOR)
        if isinstance(value, int) and not 0 <= value < 2**63:
            raise BadRequest(_BAD_CURSOR)
    return tuple(key)


def newest_first(
    engine: Engine,
    query: Select[Any],
    id_column: Column[Any],
    *,
    limit: int,
    offset: int,
    after: str | None,
) -> Page[Row[Any]]:
    """A page of `query`'s rows by `id_column`, highest first (the newest: ids only grow)."""
    paged = query
    if after is not None:
        (last,) = decode_cursor(after, (int,))
        paged = paged.where(id_column < last)
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        rows = list(
            conn.execute(paged.order_by(id_column.desc()).limit(limit).offset(offset)).all()
        )
    next_after = encode_cursor((rows[-1]._mapping[id_column],)) if len(rows) == limit else None
    return Page(total, rows, next_after)
