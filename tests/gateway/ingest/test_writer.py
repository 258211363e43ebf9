"""Group commit: receipts are signed after the commit and saved with the next group.

Signing is deterministic, so a receipt whose envelope was never saved (the process died
after answering) is signed again to the very same bytes: a repeat gets the original.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import replace

import pytest
from sqlalchemy import select

from gateway.demo import demo_key, make_report, signed_message
from gateway.ingest import Fate, GroupCommitter, GroupWriter, WriteContext, receive
from gateway.node import load_identity
from gateway.settings import load_settings
from gateway.store import make_engine, pending_items, receipts, records, upgrade
from tests.gateway._support import FIXTURES

PROVINCE, ZZ = "410000-RKJS", "410100-RKJS"


@pytest.fixture
def committer(database_url):
    settings = load_settings(node_id=PROVINCE, database_url=database_url)
    engine = make_engine(database_url)
    upgrade(engine)
    context = WriteContext(load_identity(settings), tuple(settings.routes))
    yield lambda: GroupCommitter(engine, context)
    engine.dispose()


def _envelopes(committer) -> list[bytes | None]:
    with committer().engine.connect() as connection:
        return list(connection.execute(select(receipts.c.envelope)
                                       .order_by(receipts.c.id)).scalars())


@pytest.mark.parametrize("name", ["change-report.json", "change-report.xml"])
def test_a_repeat_after_a_crash_gets_the_same_receipt(committer, name):
    envelope = (FIXTURES / "envelopes" / name).read_bytes()
    first = committer()
    keys = first.context.identity.keys
    [answer] = first.commit([receive(envelope, keys)])
    assert answer.fate is Fate.NEW
    assert all(e is None for e in _envelopes(committer))  # answered, not yet saved
    # the process dies here; a new one gets the repeat
    [again] = committer().commit([receive(envelope, keys)])
    assert again.fate is Fate.REPLAY and again.receipt == answer.receipt


def test_envelopes_are_saved_with_the_next_group_or_on_flush(committer):
    one = committer()
    keys = one.context.identity.keys
    json_envelope = (FIXTURES / "envelopes" / "change-report.json").read_bytes()
    xml_envelope = (FIXTURES / "envelopes" / "change-report.xml").read_bytes()
    [first] = one.commit([receive(json_envelope, keys)])
    one.commit([receive(xml_envelope, keys)])
    saved = _envelopes(committer)
    assert first.receipt in saved and None in saved  # the first group's, not the second's
    one.flush()
    assert None not in _envelopes(committer)


def _an_item_waits(engine) -> None:
    with engine.begin() as connection:
        connection.execute(pending_items.insert().values(
            created_at="2010-04-07T00:00:00+00:00", kind="unknown-person",
            id_number_masked="4116************29", reason_zh="待核实", reason_en="to verify"))


def _following(committer) -> GroupCommitter:
    """A committer whose context has an ``after_apply`` hook (that does nothing)."""
    plain = committer()
    return GroupCommitter(plain.engine, replace(plain.context, after_apply=lambda _: None))


def test_a_group_names_the_records_it_opened_or_changed_while_items_wait(committer):
    one = _following(committer)
    keys = one.context.identity.keys
    envelope = (FIXTURES / "envelopes" / "change-report.json").read_bytes()
    _an_item_waits(one.engine)
    intake = receive(envelope, keys)
    one.commit([intake])
    assert one.changed == {report.id_number for report in intake.reports} != set()
    one.commit([receive(envelope, keys)])  # a repeat changes nothing
    assert one.changed == frozenset()


@pytest.mark.parametrize("hook", [True, False])
def test_with_no_item_waiting_or_no_hook_a_group_leaves_nothing_to_follow(committer, hook):
    one = _following(committer) if hook else committer()
    if not hook:
        _an_item_waits(one.engine)
    one.commit([receive((FIXTURES / "envelopes" / "change-report.json").read_bytes(),
                        one.context.identity.keys)])
    with one.engine.connect() as connection:
        assert connection.execute(select(records.c.id_number)).scalars().all() != []
    assert one.changed == frozenset()


@contextlib.asynccontextmanager
async def _writer(database_url, after_apply):
    """A running writer (and its follower) whose context has ``after_apply``; an item
    waits."""
    settings = load_settings(node_id=PROVINCE, database_url=database_url)
    engine = make_engine(database_url)
    upgrade(engine)
    context = WriteContext(load_identity(settings), tuple(settings.routes),
                           after_apply=after_apply)
    writer = GroupWriter(engine, context)
    _an_item_waits(engine)
    tasks = [asyncio.create_task(writer.run()), asyncio.create_task(writer.follow())]
    try:
        yield writer
    finally:
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        engine.dispose()


@pytest.mark.anyio
async def test_a_failing_after_apply_hook_leaves_the_group_stored_and_answered(
        database_url, caplog):
    given: list[frozenset[str]] = []

    def broken(changed: frozenset[str]) -> None:
        given.append(changed)
        raise RuntimeError("the hook broke")

    async with _writer(database_url, broken) as writer:
        keys = writer.context.identity.keys
        envelope = (FIXTURES / "envelopes" / "change-report.json").read_bytes()
        intake = receive(envelope, keys)
        answer = await asyncio.wait_for(writer.submit(intake), 30)
        assert answer.fate is Fate.NEW and answer.receipt
        await asyncio.wait_for(writer.settled(), 30)
        assert given == [frozenset(report.id_number for report in intake.reports)]
        assert "after a write that changed 1 records" in caplog.text
        assert "the hook broke" in caplog.text
        again = await asyncio.wait_for(writer.submit(receive(envelope, keys)), 30)
        assert again.fate is Fate.REPLAY and again.receipt == answer.receipt
        await asyncio.wait_for(writer.settled(), 30)
        assert len(given) == 1  # nothing changed the second time: no call


@pytest.mark.anyio
async def test_senders_are_answered_and_the_writer_goes_on_while_the_hook_runs(database_url):
    """The hook runs after the senders are answered, in a task of its own: a group
    committed meanwhile is answered too, and its people are followed in the next run."""
    release = asyncio.Event()
    started = asyncio.Event()
    loop = asyncio.get_running_loop()
    given: list[frozenset[str]] = []

    def slow(changed: frozenset[str]) -> None:
        given.append(changed)
        loop.call_soon_threadsafe(started.set)
        asyncio.run_coroutine_threadsafe(release.wait(), loop).result(30)

    async with _writer(database_url, slow) as writer:
        keys = writer.context.identity.keys
        first, second = (receive(signed_message(make_report(n), demo_key(ZZ), ZZ, PROVINCE),
                                 keys) for n in (1, 2))
        assert (await asyncio.wait_for(writer.submit(first), 30)).fate is Fate.NEW
        await asyncio.wait_for(started.wait(), 30)
        assert (await asyncio.wait_for(writer.submit(second), 30)).fate is Fate.NEW
        settled = asyncio.ensure_future(writer.settled())
        await asyncio.sleep(0.05)
        assert not settled.done() and len(given) == 1
        release.set()
        await asyncio.wait_for(settled, 30)
        people = [frozenset(r.id_number for r in intake.reports) for intake in (first, second)]
        assert given[0] == people[0]
        assert set().union(*given) == people[0] | people[1] and len(given) == 2
