"""Fixtures: a fresh database on each store."""

from tests.gateway.store._db import database_url  # noqa: F401
