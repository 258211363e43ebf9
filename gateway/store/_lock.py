"""One writer at a time: the write lock every write transaction takes first.

SQLite: ``BEGIN IMMEDIATE`` (see :mod:`gateway.store._engine`) already holds the database's
write lock. PostgreSQL: a transaction-level advisory lock, so that the audit chain has one
head and deduplication sees every committed message, across processes and hosts.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

_LOCK_KEY = 0x59504E51  # "YPNQ"


def write_lock(connection: Connection) -> None:
    """Take the store's write lock for the rest of this transaction."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
