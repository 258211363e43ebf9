"""Fixtures: a fresh database on each store, the anyio backend."""

from tests.gateway._node import anyio_backend  # noqa: F401
from tests.gateway.store._db import database_url  # noqa: F401
