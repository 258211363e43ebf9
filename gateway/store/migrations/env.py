"""Alembic environment: the connection is handed over by :func:`gateway.store.upgrade`."""

from __future__ import annotations

from alembic import context

from gateway.store._tables import METADATA

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=METADATA,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
