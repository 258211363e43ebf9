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
from sqlalchemy.exc import OperationalError

from gateway.demo import demo_key, make_report, signed_message
from gateway.ingest import (
    Fate,
    GroupCommitter,
    GroupWriter,
    Noted,
    WriteContext,
    follow,
    follow_noted,
    note,
    receive,
    store_group,
)
from gateway.ingest import _writer as _writer_module
from gateway.node import load_identity
from gateway.settings import load_settings
from gateway.store import (
    make_engine,
    pending_items,
    receipts,
    records,
    records_to_follow,
    upgrade,
)
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


def _noted(engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.execute(select(records_to_follow.c.id_number)
                                       .order_by(records_to_follow.c.id)).scalars())


def test_a_group_notes_the_records_it_opened_or_changed_while_items_wait(committer):
    one = _following(committer)
    keys = one.context.identity.keys
    envelope = (FIXTURES / "envelopes" / "change-report.json").read_bytes()
    _an_item_waits(one.engine)
    intake = receive(envelope, keys)
    one.commit([intake])
    people = {report.id_number for report in intake.reports}
    assert one.noted is not None and one.noted.people == people != set()
    assert sorted(_noted(one.engine)) == sorted(people)  # in the group's transaction
    one.commit([receive(envelope, keys)])  # a repeat changes nothing
    assert one.noted is None
    assert sorted(_noted(one.engine)) == sorted(people)


@pytest.mark.parametrize("hook", [True, False])
def test_with_no_item_waiting_or_no_hook_a_group_leaves_nothing_to_follow(committer, hook):
    one = _following(committer) if hook else committer()
    if not hook:
        _an_item_waits(one.engine)
    one.commit([receive((FIXTURES / "envelopes" / "change-report.json").read_bytes(),
                        one.context.identity.keys)])
    with one.engine.connect() as connection:
        assert connection.execute(select(records.c.id_number)).scalars().all() != []
    assert one.noted is None and _noted(one.engine) == []


@contextlib.asynccontextmanager
async def _writer(database_url, after_apply, waiting=True):
    """A running writer (and its follower) whose context has ``after_apply``; an item
    waits (unless ``waiting`` is false: one already does)."""
    settings = load_settings(node_id=PROVINCE, database_url=database_url)
    engine = make_engine(database_url)
    upgrade(engine)
    context = WriteContext(load_identity(settings), tuple(settings.routes),
                           after_apply=after_apply)
    writer = GroupWriter(engine, context)
    if waiting:
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
        # The run at start first (nothing noted): a write committed before it would be
        # followed by it and by the write's own run, the failed hook's rows being kept.
        await asyncio.wait_for(writer.settled(), 30)
        keys = writer.context.identity.keys
        envelope = (FIXTURES / "envelopes" / "change-report.json").read_bytes()
        intake = receive(envelope, keys)
        answer = await asyncio.wait_for(writer.submit(intake), 30)
        assert answer.fate is Fate.NEW and answer.receipt
        await asyncio.wait_for(writer.settled(), 30)
        people = frozenset(report.id_number for report in intake.reports)
        assert given == [people]
        assert "following 1 changed records failed" in caplog.text
        assert "the hook broke" in caplog.text
        assert sorted(_noted(writer.engine)) == sorted(people)  # kept, to follow again
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


@pytest.mark.anyio
async def test_what_a_stopped_writer_left_noted_is_followed_when_the_next_starts(
        committer, database_url):
    """The process dies after the group committed, before its follower ran: the people
    stay noted, and the next writer's follower follows them as it starts."""
    one = _following(committer)
    _an_item_waits(one.engine)
    intake = receive((FIXTURES / "envelopes" / "change-report.json").read_bytes(),
                     one.context.identity.keys)
    one.commit([intake])
    people = frozenset(report.id_number for report in intake.reports)
    assert sorted(_noted(one.engine)) == sorted(people)
    # the process dies here
    given: list[frozenset[str]] = []
    async with _writer(database_url, given.append, waiting=False) as writer:
        await asyncio.wait_for(writer.settled(), 30)
        assert given == [people]
        assert _noted(writer.engine) == []


def test_a_follow_forgets_only_what_was_noted_before_it(committer):
    """A person noted again by a later write (after the hook read what to dock) stays
    noted: only the rows up to the write followed are forgotten."""
    one = _following(committer)
    _an_item_waits(one.engine)
    person = "411622198503124529"
    with one.engine.begin() as connection:
        first = note(connection, {person})
    with one.engine.begin() as connection:
        later = note(connection, {person, "41162319900712108X"})
    assert first is not None and later is not None and later.up_to > first.up_to
    given: list[frozenset[str]] = []
    assert follow(one.engine, replace(one.context, after_apply=given.append), first)
    assert given == [{person}]
    assert sorted(_noted(one.engine)) == sorted(later.people)
    assert follow(one.engine, replace(one.context, after_apply=given.append),
                  Noted.together([first, later]))
    assert _noted(one.engine) == []


def test_the_follower_follows_what_is_noted_a_run_at_a_time(committer):
    """More rows than one run takes: each run follows the oldest, and says more remain."""
    one = _following(committer)
    _an_item_waits(one.engine)
    people = [f"4116221985031245{n:02d}" for n in range(5)]
    for person in people:
        with one.engine.begin() as connection:
            note(connection, {person})
    given: list[frozenset[str]] = []
    context = replace(one.context, after_apply=given.append)
    assert follow_noted(one.engine, context, limit=2)
    assert follow_noted(one.engine, context, limit=2)
    assert not follow_noted(one.engine, context, limit=2)
    assert not follow_noted(one.engine, context, limit=2)  # nothing left: no call
    assert given == [frozenset(people[:2]), frozenset(people[2:4]), frozenset(people[4:])]
    assert _noted(one.engine) == []


def test_nothing_is_noted_while_no_item_waits(committer):
    one = _following(committer)
    with one.engine.begin() as connection:
        assert note(connection, {"411622198503124529"}) is None
    assert _noted(one.engine) == []


def test_a_follow_whose_note_cannot_be_forgotten_says_so_and_keeps_it(committer, monkeypatch,
                                                                       caplog):
    """The items were docked again: a store failing at the last step does not undo that,
    and is no error of the write's; the person is followed again later (harmless)."""
    one = _following(committer)
    _an_item_waits(one.engine)
    with one.engine.begin() as connection:
        noted = note(connection, {"411622198503124529"})

    def failing(engine, noted):
        raise OperationalError("DELETE FROM records_to_follow", {}, OSError("disk I/O error"))

    monkeypatch.setattr("gateway.ingest._follow.forget", failing)
    given: list[frozenset[str]] = []
    assert follow(one.engine, replace(one.context, after_apply=given.append), noted)
    assert given == [{"411622198503124529"}]
    assert "forgetting 1 followed records failed (OperationalError)" in caplog.text
    assert _noted(one.engine) == ["411622198503124529"]


@pytest.mark.anyio
async def test_a_message_the_store_path_fails_on_is_refused_alone_and_the_writer_goes_on(
        database_url, monkeypatch, caplog):
    """A fault in storing one message (a defect, not the store being down) fails that
    message alone: the others of its group are stored and answered, and the writer takes
    the next group."""
    real = store_group

    def faulty(connection, intakes, context):
        if any(i.header.message_id.endswith(":poison") for i in intakes):
            raise RuntimeError("a defect in the store path")
        return real(connection, intakes, context)

    monkeypatch.setattr(_writer_module, "store_group", faulty)
    async with _writer(database_url, lambda _: None) as writer:
        keys = writer.context.identity.keys
        envelopes = [signed_message(make_report(n), demo_key(ZZ), ZZ, PROVINCE,
                                    message_id=f"{ZZ}:{'poison' if n == 2 else n}")
                     for n in range(4)]
        answers = await asyncio.wait_for(asyncio.gather(
            *(writer.submit(receive(e, keys)) for e in envelopes), return_exceptions=True), 30)
        assert [type(a).__name__ for a in answers] == ["Answer", "Answer", "InternalFailure",
                                                       "Answer"]
        # the four were queued before the writer woke: one group, then each alone
        assert "a group of 4 failed: storing its messages one at a time" in caplog.text
        assert "storing message 410100-RKJS/410100-RKJS:poison failed" in caplog.text
        later = await asyncio.wait_for(writer.submit(receive(
            signed_message(make_report(9), demo_key(ZZ), ZZ, PROVINCE), keys)), 30)
        assert later.fate is Fate.NEW
        with writer.engine.connect() as connection:
            assert len(connection.execute(select(records.c.id_number)).all()) == 4
