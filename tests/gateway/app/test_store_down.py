"""A node whose store is down answers every route 503 ``store-unavailable`` (a caller
retries), never a bare 500, and serves again once the store is back.

PostgreSQL only: the store is a server there, which an operator may stop or which may refuse
connections; an embedded SQLite file has no such state.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest

from gateway.demo import demo_key, make_report, signed_message
from tests.gateway._node import JOSE, OPERATOR, client_for, node_settings
from tests.gateway.docking._people import WANG, notice
from tests.gateway.store._db import PG_ADMIN, fresh_database

pytestmark = pytest.mark.anyio
ZZ, PROVINCE = "410100-RKJS", "410000-RKJS"
PARTNER = {"Authorization": "Bearer zz-token"}


@contextmanager
def _refusing(database: str) -> Iterator[None]:
    """The database refuses connections and drops those it has, until the block ends."""
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false')
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = %s", (database,))
    try:
        yield
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS true')


def _requests() -> list[tuple[str, str, dict[str, Any]]]:
    message = signed_message(make_report(51), demo_key(PROVINCE), PROVINCE, ZZ)
    return [
        ("POST", "/api/v1/messages", {"content": message, "headers": JOSE}),
        ("POST", "/api/v1/notices", {"json": {"notices": [notice(phone="13600000001")]},
                                     "headers": OPERATOR}),
        ("GET", "/api/v1/pending", {"headers": OPERATOR}),
        ("POST", "/api/v1/pending/1/resolve", {"json": {"note": "已核实"},
                                              "headers": OPERATOR}),
        ("POST", "/api/v1/pending/1/retry", {"headers": OPERATOR}),
        ("GET", f"/api/v1/records/{WANG}", {"headers": OPERATOR}),
        ("GET", "/api/v1/messages/M-1", {"headers": OPERATOR}),
        ("GET", "/api/v1/inbox", {"headers": PARTNER}),
    ]


async def test_every_route_answers_503_while_the_store_is_down(tmp_path) -> None:
    with fresh_database("postgresql", tmp_path / "db") as url:
        database = url.rsplit("/", 1)[1]
        async with client_for(node_settings(url, tmp_path, node_id=ZZ)) as (client, _):
            with _refusing(database):
                for method, path, options in _requests():
                    response = await client.request(method, path, **options)
                    assert response.status_code == 503, (path, response.text)
                    assert response.json()["error"] == "store-unavailable", path
                ready = await client.get("/readyz")
                assert ready.status_code == 503
                assert ready.json()["error"] == "store-unavailable" and ready.json()["message"]
            for method, path, options in _requests():  # the pool's connections were cut
                response = await client.request(method, path, **options)
                assert response.status_code < 500, (path, response.text)
            assert (await client.get("/readyz")).status_code == 200
