"""Totals of what the store holds, read at scrape time so every replica reports the same.

Must not import the web framework.
"""

from __future__ import annotations

from fedstack.bridge.store._models import locks, resources, stacks, state_versions
from sqlalchemy import Engine, func, select

__all__ = ["store_counts"]


def store_counts(engine: Engine) -> dict[str, int]:
    """Stacks, state versions, inventory resources, locks held and encrypted stacks."""
    with engine.connect() as conn:
        return {
            "stacks": conn.execute(select(func.count()).select_from(stacks)).scalar_one(),
            "state_versions": conn.execute(
                select(func.count()).select_from(state_versions)
            ).scalar_one(),
            "inventory_resources": conn.execute(
                select(func.count()).select_from(resources)
            ).scalar_one(),
            "locks_held": conn.execute(select(func.count()).select_from(locks)).scalar_one(),
            "encrypted_stacks": conn.execute(
                select(func.count()).select_from(stacks).where(stacks.c.encrypted.is_(True))
            ).scalar_one(),
        }
