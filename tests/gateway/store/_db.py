"""Fresh databases for tests: a SQLite file, or a PostgreSQL database made and dropped.

PostgreSQL is the real server of this machine (127.0.0.1:5432, user postgres). A test that
needs it FAILS with a clear message when it is down; it never skips.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
STORES = ["sqlite", "postgresql"]


def _admin() -> psycopg.Connection:
    try:
        return psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL must run at 127.0.0.1:5432 (user postgres, trust auth) for "
                    f"these tests; start it (pg_ctlcluster 15 main start): {exc}")


@contextmanager
def fresh_database(store: str, directory: Path) -> Iterator[str]:
    """The URL of an empty database of kind ``store``, removed afterwards."""
    if store == "sqlite":
        directory.mkdir(parents=True, exist_ok=True)
        yield f"sqlite:///{directory / f'{uuid.uuid4().hex}.db'}"
        return
    name = f"yq_test_{uuid.uuid4().hex[:16]}"
    with _admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        with _admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=STORES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database per test, on SQLite and on PostgreSQL."""
    with fresh_database(request.param, tmp_path / "db") as url:
        yield url
