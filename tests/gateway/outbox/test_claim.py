"""Several delivery workers at once: each due entry is claimed, and sent, by one of them.

Real PostgreSQL, ``FOR UPDATE SKIP LOCKED``: workers, each a thread with its own engine
(own connections), claim concurrently until nothing is due; then real
:class:`~gateway.outbox.OutboxWorker` passes in two threads, whose POSTs are counted.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

from gateway.node import load_identity
from gateway.outbox import OutboxWorker, claim_due
from gateway.settings import OutboxSettings, load_settings
from gateway.store import insert_many, make_engine, outbox, upgrade
from tests.gateway.store._db import fresh_database

ENTRIES, WORKERS = 400, 4


def _rows(count: int) -> list[dict[str, object]]:
    now = time.time()
    return [{"message_id": f"M-{n}", "destination": "410000-RKJS",
             "message_type": "ChangeReport", "schema_version": "2", "format": "json",
             "document": b"{}", "envelope": f"E-{n}".encode(), "cause_pk": None, "receipt_id": None,
             "lost": None, "status": "pending", "pull": False, "attempts": 0,
             "next_attempt_at": now - 1, "lease_until": None, "last_error": None,
             "created_at": "2010-04-07T00:00:00+00:00", "delivered_at": None, "reply": None}
            for n in range(count)]


def _work(url: str, start: threading.Barrier, claimed: list[int]) -> None:
    engine = make_engine(url, pool_size=1)
    try:
        start.wait()
        while entries := claim_due(engine, limit=7, lease_seconds=300):
            claimed += [entry.id for entry in entries]
    finally:
        engine.dispose()


def test_concurrent_workers_never_claim_an_entry_twice(tmp_path: Path) -> None:
    with fresh_database("postgresql", tmp_path) as url:
        engine = make_engine(url)
        upgrade(engine)
        with engine.begin() as connection:
            insert_many(connection, outbox, _rows(ENTRIES))
        start = threading.Barrier(WORKERS)
        claims: list[list[int]] = [[] for _ in range(WORKERS)]
        threads = [threading.Thread(target=_work, args=(url, start, claims[n]))
                   for n in range(WORKERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        with engine.connect() as connection:
            statuses = Counter(row.status for row in connection.execute(outbox.select()))
        engine.dispose()
    every = [pk for claimed in claims for pk in claimed]
    assert len(every) == ENTRIES and len(set(every)) == ENTRIES  # all, none twice
    assert sum(1 for claimed in claims if claimed) > 1  # the work was really shared
    assert statuses == {"sending": ENTRIES}


def _deliver(url: str, start: threading.Barrier, sent: list[bytes]) -> None:
    """OutboxWorker passes until nothing is due; the partner answers 500 to everything (a
    failure of each message: 503 would hold the partner, and leave its entries alone)."""
    engine = make_engine(url, pool_size=2)
    # a retry waits at least a minute: every POST seen below is a first attempt
    settings = OutboxSettings(batch_size=9, base_delay=60, max_delay=120)
    worker = OutboxWorker(engine, load_identity(load_settings(node_id="410100-RKJS")),
                          settings)

    def partner(request: httpx.Request) -> httpx.Response:
        sent.append(request.content)
        return httpx.Response(500)

    async def passes() -> None:
        async with httpx.AsyncClient(transport=httpx.MockTransport(partner)) as client:
            start.wait()
            while await worker.run_once(client):
                pass

    try:
        asyncio.run(passes())
    finally:
        engine.dispose()


def test_concurrent_outbox_workers_send_nothing_twice(tmp_path: Path) -> None:
    with fresh_database("postgresql", tmp_path) as url:
        engine = make_engine(url)
        upgrade(engine)
        with engine.begin() as connection:
            insert_many(connection, outbox, _rows(120))
        engine.dispose()
        start = threading.Barrier(2)
        sent: list[list[bytes]] = [[], []]
        threads = [threading.Thread(target=_deliver, args=(url, start, sent[n]))
                   for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
    every = Counter(body for bodies in sent for body in bodies)
    assert len(every) == 120 and set(every.values()) == {1}  # each sent once, none twice
    assert all(sent)  # both workers sent
