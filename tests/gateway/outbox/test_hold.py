"""A partner that cannot be reached is held: its entries wait without using up attempts.

On both stores: a pass whose attempts all fail to reach a partner holds it (a delay that grows
pass after pass); ``claim_due`` leaves its entries alone until the hold ends; the first answer
ends the hold and makes every waiting entry due; ``max_attempts`` counts only the answered
failures, and an entry is given up after ``give_up_after`` seconds of unreachable partner.
A real :class:`~gateway.outbox.OutboxWorker` facing a refused connection tries a few entries
a pass, not every entry.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, select, update

from gateway.demo import free_port
from gateway.node import load_identity
from gateway.outbox import (
    Attempt,
    OutboxWorker,
    Verdict,
    claim_due,
    deliver,
    held_destinations,
    record_attempts,
    resend,
)
from gateway.settings import OutboxSettings, load_settings
from gateway.store import audit_log, dead_letters, destinations, insert_many, make_engine, outbox
from gateway.store import upgrade as upgrade_store

ZZ, PROVINCE, ZHOUKOU = "410100-RKJS", "410000-RKJS", "411600-RKJS"
DOWN = Attempt(Verdict.UNREACHABLE, "ConnectError: [Errno 111] Connection refused")
SETTINGS = OutboxSettings(base_delay=10, max_delay=40, max_attempts=2)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade_store(engine)
    yield engine
    engine.dispose()


def _fill(engine: Engine, counts: dict[str, int]) -> None:
    now = time.time()
    rows = [{"message_id": f"M-{destination}-{n}", "destination": destination,
             "message_type": "ChangeReport", "schema_version": "2", "format": "json",
             "document": b"{}", "envelope": b"E", "cause_pk": None, "receipt_id": None,
             "lost": None, "status": "pending", "pull": False, "attempts": 0,
             "next_attempt_at": now - 1, "lease_until": None, "unreachable_since": None,
             "last_error": None, "created_at": "2010-04-07T00:00:00+00:00",
             "delivered_at": None, "reply": None}
            for destination, count in counts.items() for n in range(count)]
    with engine.begin() as connection:
        insert_many(connection, outbox, rows)


def _entries(engine: Engine, destination: str | None = None) -> list[Any]:
    query = select(outbox).order_by(outbox.c.id)
    if destination:
        query = query.where(outbox.c.destination == destination)
    with engine.connect() as connection:
        return list(connection.execute(query).all())


def _expire_holds(engine: Engine) -> None:
    """As if the holds had run out: they, and the waits of the entries, end a second ago."""
    past = time.time() - 1
    with engine.begin() as connection:
        connection.execute(update(destinations).values(held_until=past))
        connection.execute(update(outbox).where(outbox.c.status == "pending")
                           .values(next_attempt_at=past))


def _claim_all(engine: Engine) -> list[Any]:
    return claim_due(engine, 1000, 60)


def test_an_unreachable_partner_is_held_and_its_entries_wait(engine):
    _fill(engine, {PROVINCE: 3, ZHOUKOU: 2})
    claimed = _claim_all(engine)
    record_attempts(engine, ZZ, SETTINGS, [(e, DOWN) for e in claimed
                                          if e.destination == PROVINCE])
    [held] = held_destinations(engine)
    assert held.destination == PROVINCE and held.failures == 1
    assert time.time() + 5 - 1 <= held.held_until <= time.time() + 10 + 1  # backoff(1)
    for entry in _entries(engine, PROVINCE):
        assert entry.status == "pending" and entry.attempts == 0
        assert entry.next_attempt_at == held.held_until and entry.unreachable_since
        assert entry.last_error == DOWN.detail
    # Held: nothing of the province's is claimed, though every entry is due by its time.
    with engine.begin() as connection:
        connection.execute(update(outbox).values(next_attempt_at=time.time() - 1,
                                                 status="pending", lease_until=None))
    assert {e.destination for e in _claim_all(engine)} == {ZHOUKOU}


def test_the_hold_grows_pass_after_pass_up_to_max_delay(engine):
    _fill(engine, {PROVINCE: 1})
    ceilings = []
    for _ in range(5):
        _expire_holds(engine)
        [entry] = _claim_all(engine)
        record_attempts(engine, ZZ, SETTINGS, [(entry, DOWN)])
        [held] = held_destinations(engine)
        ceilings.append((held.failures, held.held_until - time.time()))
    for failures, delay in ceilings:
        ceiling = min(40, 10 * 2 ** (failures - 1))
        assert ceiling / 2 - 1 <= delay <= ceiling + 1
    assert [f for f, _ in ceilings] == [1, 2, 3, 4, 5]
    [entry] = _entries(engine)
    assert entry.attempts == 0 and entry.status == "pending"  # max_attempts is 2


def test_the_first_answer_releases_the_partner_and_everything_waiting_goes(engine):
    _fill(engine, {PROVINCE: 4})
    first, *others = _claim_all(engine)
    record_attempts(engine, ZZ, SETTINGS, [(first, DOWN)])
    record_attempts(engine, ZZ, SETTINGS, [(e, DOWN) for e in others])
    assert {e.next_attempt_at > time.time() for e in _entries(engine)} == {True}
    _expire_holds(engine)
    [probe] = claim_due(engine, 1, 60)
    record_attempts(engine, ZZ, SETTINGS, [(probe, Attempt(Verdict.DELIVERED, "accepted",
                                                           b"receipt"))])
    assert held_destinations(engine) == []
    entries = {e.id: e for e in _entries(engine)}
    assert entries[probe.id].status == "delivered" and entries[probe.id].attempts == 1
    waiting = [e for pk, e in entries.items() if pk != probe.id]
    assert all(e.status == "pending" and e.next_attempt_at <= time.time() for e in waiting)
    assert len(_claim_all(engine)) == 3  # due at once
    with engine.connect() as connection:
        actions = [row.action for row in connection.execute(
            select(audit_log.c.action).order_by(audit_log.c.seq))]
    assert Counter(actions) == {"outbox.unreachable": 1, "outbox.reachable": 1,
                                "outbox.delivered": 1}


def test_only_answered_failures_count_towards_max_attempts(engine):
    _fill(engine, {PROVINCE: 1})
    for _ in range(4):
        _expire_holds(engine)
        [entry] = _claim_all(engine)
        record_attempts(engine, ZZ, SETTINGS, [(entry, DOWN)])
    _expire_holds(engine)
    answered = Attempt(Verdict.RETRY, "HTTP 500")
    [entry] = _claim_all(engine)
    record_attempts(engine, ZZ, SETTINGS, [(entry, answered)])
    [entry] = _entries(engine)
    assert (entry.status, entry.attempts, entry.unreachable_since) == ("pending", 1, None)
    with engine.begin() as connection:
        connection.execute(update(outbox).values(next_attempt_at=time.time() - 1))
    [entry] = _claim_all(engine)
    record_attempts(engine, ZZ, SETTINGS, [(entry, answered)])
    [entry] = _entries(engine)
    assert (entry.status, entry.attempts) == ("dead", 2)


def test_an_entry_is_given_up_after_give_up_after_seconds_unreachable(engine):
    _fill(engine, {PROVINCE: 2})
    settings = SETTINGS.model_copy(update={"give_up_after": 3600.0})
    entries = _claim_all(engine)
    record_attempts(engine, ZZ, settings, [(e, DOWN) for e in entries])
    old, young = _entries(engine)
    with engine.begin() as connection:  # the first has waited more than an hour
        connection.execute(update(outbox).where(outbox.c.id == old.id)
                           .values(unreachable_since=time.time() - 3601))
    _expire_holds(engine)
    record_attempts(engine, ZZ, settings, [(e, DOWN) for e in _claim_all(engine)])
    old, young = _entries(engine)
    assert (old.status, young.status) == ("dead", "pending")
    with engine.connect() as connection:
        [letter] = connection.execute(select(dead_letters)).all()
    assert letter.outbox_id == old.id
    assert letter.reason == f"unreachable for 60 min (give_up_after 3600 s): {DOWN.detail}"
    assert resend(engine, ZZ, [old.id]) == 1
    old = _entries(engine)[0]
    assert (old.status, old.attempts, old.unreachable_since) == ("pending", 0, None)


def test_an_answer_in_the_same_pass_means_the_partner_is_up(engine):
    _fill(engine, {PROVINCE: 2})
    one, two = _claim_all(engine)
    record_attempts(engine, ZZ, SETTINGS, [
        (one, DOWN), (two, Attempt(Verdict.DELIVERED, "accepted", b"receipt"))])
    assert held_destinations(engine) == []
    one, two = _entries(engine)
    assert (one.status, one.attempts, two.status) == ("pending", 1, "delivered")


def test_a_refused_connection_a_timeout_and_unavailable_answers_are_unreachable() -> None:
    identity = load_identity(load_settings(node_id=ZZ, endpoints={
        PROVINCE: f"http://127.0.0.1:{free_port()}"}))  # nothing listens there

    async def attempts() -> list[Verdict]:
        verdicts = []
        async with httpx.AsyncClient() as client:
            verdicts.append((await deliver(client, identity, PROVINCE, "M-1", "json",
                                           b"{}")).verdict)
        def timing_out(request: httpx.Request) -> httpx.Response:
            raise httpx.ReadTimeout("timed out", request=request)

        def reset(request: httpx.Request) -> httpx.Response:
            raise httpx.RemoteProtocolError("Server disconnected", request=request)

        answers = [lambda request, s=status: httpx.Response(s) for status in (502, 503, 504)]
        for answer in [timing_out, *answers, lambda request: httpx.Response(500), reset]:
            async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
                verdicts.append((await deliver(client, identity, PROVINCE, "M-1", "json",
                                               b"{}")).verdict)
        return verdicts

    assert asyncio.run(attempts()) == [Verdict.UNREACHABLE] * 5 + [Verdict.RETRY] * 2


def test_a_worker_tries_a_few_entries_a_pass_while_the_partner_is_down(engine):
    """200 entries, 10 a pass, a second of passes: under 200 tries, no entry used up
    (``max_attempts`` is 1), none dead. Without the hold every entry would be tried in that
    second (each retried after 0.05-0.2 s) and each dead-lettered after its first try."""
    entries = 200
    _fill(engine, {PROVINCE: entries})
    tries: list[str] = []

    def refuse(request: httpx.Request) -> httpx.Response:
        tries.append(request.url.host)
        raise httpx.ConnectError("[Errno 111] Connection refused", request=request)

    settings = OutboxSettings(batch_size=10, base_delay=0.05, max_delay=0.2, max_attempts=1)
    worker = OutboxWorker(engine, load_identity(load_settings(node_id=ZZ)), settings)

    async def passes() -> None:
        async with httpx.AsyncClient(transport=httpx.MockTransport(refuse)) as client:
            deadline = time.monotonic() + 1.0
            while time.monotonic() < deadline:
                if not await worker.run_once(client):
                    await asyncio.sleep(0.01)

    asyncio.run(passes())
    assert 10 <= len(tries) < entries
    statuses = Counter(e.status for e in _entries(engine))
    assert statuses == {"pending": entries}
    assert {e.attempts for e in _entries(engine)} == {0}
    [held] = held_destinations(engine)
    assert held.failures * 10 == len(tries)  # one failed pass per 10 tries
