"""Alembic environment: migrations always run on the connection `fedstack.bridge.store.migrate` passes in."""

from __future__ import annotations

from alembic import context
from fedstack.bridge.store._models import metadata, on_this_dialect

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,
    include_object=on_this_dialect(connection.dialect.name),
)
with context.begin_transaction():
    context.run_migrations()
