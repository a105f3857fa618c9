"""Paged list endpoints: one way to read `limit`, `offset` and `after`, one shape of the answer.

Every listing answers `total`, `limit`, `offset`, its items, `next_after` and `total_exact`
(false when `total` is a lower bound: the inventory counts its matches only up to a cap, so that a
page costs the same over a million resources as over a hundred); pass `next_after` as `after` for
the next page (keyset paging, as fast deep in a list as at its start). `offset`
still works, but the database reads and skips every row before the page. A bad value is a 400
like every other invalid parameter (fedstack.bridge._app).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from fedstack.bridge.store import INVENTORY_COUNT_CAP, Page
from pydantic import BaseModel, Field

__all__ = ["PageBody", "Paged", "Paging", "RunsPaged", "page_body"]

T = TypeVar("T")


@dataclass(frozen=True)
class Paging:
    """Which page a listing was asked for."""

    limit: int
    offset: int
    after: str | None


def _parser(default: int, most: int) -> Callable[..., Paging]:
    def parse(
        limit: int = Query(default, ge=1, le=most, description="Items per page"),
        offset: int = Query(0, ge=0, le=10_000_000, description="Items to skip before the page"),
        after: str | None = Query(
            None,
            max_length=2000,
            pattern=r"^[A-Za-z0-9_-]*$",
            description="The `next_after` of the previous page: the next page, fast at any depth",
        ),
    ) -> Paging:
        return Paging(limit, offset, after or None)

    return parse


Paged = Annotated[Paging, Depends(_parser(100, 1000))]
"""The page of a listing: 100 items unless `limit` says otherwise (at most 1000)."""
RunsPaged = Annotated[Paging, Depends(_parser(50, 500))]
"""The page of the drift runs listing: 50 runs (each a summary of a whole run), at most 500."""


class PageBody(BaseModel, Generic[T]):
    """The fields every paged answer has; each listing subclasses it with its item type."""

    total: int = Field(
        description="Items matching the filters, on every page; a lower bound when `total_exact`"
        " is false"
    )
    limit: int
    offset: int
    items: list[T]
    next_after: str | None = Field(
        description="Pass as `after` for the next page; null on the last page"
    )
    total_exact: bool = Field(
        description="True when `total` is the exact count; false when counting stopped at its cap"
        f" (the inventory counts up to {INVENTORY_COUNT_CAP:,} matches) and at least `total` match"
    )


def page_body(paging: Paging, page: Page[Any]) -> dict[str, Any]:
    """The fields every paged answer has, in this order."""
    return {
        "total": page.total,
        "limit": paging.limit,
        "offset": paging.offset,
        "items": page.items,
        "next_after": page.next_after,
        "total_exact": page.total_exact,
    }
