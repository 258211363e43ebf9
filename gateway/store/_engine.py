"""Engines for the two stores: SQLite (embedded default) and PostgreSQL (by URL).

SQLite runs in WAL mode with ``synchronous=FULL``: a commit is on disk before it returns,
so it survives a power cut. Write transactions start with ``BEGIN IMMEDIATE`` so that
several processes on one file queue for the write lock instead of failing mid-transaction.
PostgreSQL keeps its durable defaults (``fsync``, ``synchronous_commit=on``).

A serving node checkpoints the WAL off the write path (``background_checkpoints``):
connections do not checkpoint when they commit, :func:`checkpoint` runs on its own
connection now and then (see :mod:`gateway.app._runtime`). Durability does not depend on
checkpoints: every commit is in the fsynced WAL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


_PRAGMAS = ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=60000")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
    cursor = dbapi_connection.cursor()
    for pragma in _PRAGMAS:
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _no_autocheckpoint(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA wal_autocheckpoint=0")


def _sqlite_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def checkpoint(engine: Engine) -> None:
    """Copy the SQLite WAL into the database without blocking writers (PASSIVE)."""
    if is_sqlite(engine):
        raw = engine.raw_connection()  # no BEGIN (IMMEDIATE): it must not take the write lock
        try:
            raw.cursor().execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        finally:
            raw.close()


def make_engine(url: str, *, pool_size: int = 8, background_checkpoints: bool = False) -> Engine:
    """An engine for ``url``: ``sqlite:///path`` or ``postgresql://…`` (psycopg 3).

    ``background_checkpoints``: SQLite commits never checkpoint; the caller must call
    :func:`checkpoint` regularly.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed, connect_args={"check_same_thread": False,
                                                     "timeout": 60})
        event.listen(engine, "connect", _sqlite_pragmas)
        if background_checkpoints:
            event.listen(engine, "connect", _no_autocheckpoint)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return create_engine(parsed, pool_size=pool_size, max_overflow=pool_size,
                         pool_pre_ping=True)
