"""The node's runtime: shutting down waits for connections still out in worker threads."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text

from gateway.app._runtime import _connections_returned
from gateway.store import make_engine

pytestmark = pytest.mark.anyio


async def test_shutdown_waits_for_a_connection_a_thread_still_holds(database_url) -> None:
    # What a cancelled asyncio.to_thread leaves behind: the thread still working.
    engine = make_engine(database_url)
    taken = threading.Event()

    def work() -> None:
        with engine.connect() as connection:
            taken.set()
            time.sleep(0.3)
            connection.execute(text("SELECT 1"))

    thread = threading.Thread(target=work)
    thread.start()
    taken.wait(5)
    assert engine.pool.checkedout() == 1  # type: ignore[attr-defined]
    started = time.monotonic()
    await _connections_returned(engine)
    assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    assert time.monotonic() - started >= 0.2
    thread.join()
    engine.dispose()


async def test_shutdown_does_not_wait_forever(database_url) -> None:
    engine = make_engine(database_url)
    connection = engine.connect()
    try:
        started = time.monotonic()
        await _connections_returned(engine, timeout=0.2)
        assert 0.2 <= time.monotonic() - started < 5
    finally:
        connection.close()
        engine.dispose()
