"""Group commit: one writer task turns concurrent requests into shared transactions.

Requests hand their verified :class:`Intake` to :meth:`GroupWriter.submit` and wait. The
writer takes everything queued (up to ``max_group``), stores it in one transaction
(:func:`store_group`), signs the receipts after the commit, and answers every waiter with
its receipt. A commit is durable before any receipt leaves (SQLite ``synchronous=FULL``).
The signed envelopes are saved in the next group's transaction (:class:`GroupCommitter`).
When a group opened or changed records while pending items are open, it notes those people
in its transaction (:mod:`gateway.ingest._follow`), and the context's ``after_apply`` (the
node docks the pending items about them again) runs once the waiters are answered, in a task
of its own (:meth:`GroupWriter.follow`), in its own transactions: the writer goes on with the
next group meanwhile, and docking thousands of items delays no sender. The people of groups
committed while it runs are followed together next. A failure there is logged and leaves the
stored messages as they are, and the people noted: they are followed again at the next group
or start. :meth:`GroupWriter.settled` waits until nothing noted is left to follow.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

from gateway.errors import InternalFailure, MessageConflict, StoreUnavailable
from gateway.ingest._follow import Noted, follow, follow_noted
from gateway.ingest._intake import Intake
from gateway.ingest._sign import (
    Signed,
    first_receipt,
    save_envelopes,
    sign_receipts,
    sign_unsaved,
)
from gateway.ingest._store import Fate, Stored, WriteContext, store_group
from gateway.store import write_lock

log = logging.getLogger("yipanqi.ingest")
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Answer:
    """The receipt envelope to answer a message with (200), or a refusal (409)."""

    fate: Fate
    receipt: bytes


class GroupCommitter:
    """Store, commit, sign — one group after another, on one thread.

    Receipts signed after a group's commit are saved in the next group's transaction
    (one durable commit per group instead of two), or by :meth:`flush` when idle. Until
    then they exist only in answers; signing is deterministic, so nothing is lost if the
    process dies first (see :mod:`gateway.ingest._sign`).
    """

    def __init__(self, engine: Engine, context: WriteContext) -> None:
        self.engine = engine
        self.context = context
        self._unsaved: list[Signed] = []
        #: The people whose records the last group opened or changed, noted to follow
        #: (``None`` without an ``after_apply`` hook, or while no pending item is open).
        self.noted: Noted | None = None

    def commit(self, intakes: Sequence[Intake]) -> list[Answer | MessageConflict]:
        for attempt in range(3):
            try:
                with self.engine.begin() as connection:
                    write_lock(connection)
                    save_envelopes(connection, self._unsaved)
                    stored, receipt_pks, noted = store_group(connection, intakes, self.context)
                break
            except IntegrityError:  # another process stored one of these first: look again
                if attempt == 2:
                    raise
        self._unsaved = []
        self.noted = noted
        envelopes, self._unsaved = sign_unsaved(self.engine, self.context.identity,
                                                receipt_pks)
        return [_answer(self.engine, self.context, item, envelopes) for item in stored]

    def flush(self) -> None:
        """Save the envelopes signed since the last commit."""
        if self._unsaved:
            with self.engine.begin() as connection:
                write_lock(connection)
                save_envelopes(connection, self._unsaved)
            self._unsaved = []


def commit_group(engine: Engine, context: WriteContext,
                 intakes: Sequence[Intake]) -> list[Answer | MessageConflict]:
    """Store, commit, sign and save, then follow the records changed: the whole
    synchronous job for one group."""
    committer = GroupCommitter(engine, context)
    answers = committer.commit(intakes)
    committer.flush()
    follow(engine, context, committer.noted)
    return answers


def _answer(engine: Engine, context: WriteContext, item: Stored,
            envelopes: dict[int, bytes]) -> Answer | MessageConflict:
    if item.fate is Fate.CONFLICT:
        return MessageConflict("this messageId was already received with other content")
    pk = item.receipt_pk if item.fate is Fate.NEW else first_receipt(engine, item.message_pk)
    if pk is None:
        raise StoreUnavailable(f"message {item.message_pk} has no receipt")
    if pk not in envelopes:
        envelopes.update(sign_receipts(engine, context.identity, [pk]))
    return Answer(item.fate, envelopes[pk])


async def _finish_in_thread(function: Callable[..., T], *args: Any) -> T:
    """Run ``function`` in a thread; if cancelled meanwhile, let it finish first (so that
    the engine is never disposed under a connection still in use), then cancel."""
    future = asyncio.ensure_future(asyncio.to_thread(function, *args))
    try:
        return await asyncio.shield(future)
    except asyncio.CancelledError:
        with contextlib.suppress(Exception):
            await future
        raise


class GroupWriter:
    """The writer task of one process."""

    def __init__(self, engine: Engine, context: WriteContext, max_group: int = 512) -> None:
        self.engine = engine
        self.context = context
        self.committer = GroupCommitter(engine, context)
        self.max_group = max_group
        self._queue: asyncio.Queue[tuple[Intake, asyncio.Future[Answer]]] = asyncio.Queue()
        self.groups = 0
        # Set: the follower runs (at start, what a node that stopped left noted).
        self._to_follow = asyncio.Event()
        self._to_follow.set()
        # Set once the follower has found nothing noted left to follow.
        self._followed = asyncio.Event()

    async def submit(self, intake: Intake) -> Answer:
        future: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        await self._queue.put((intake, future))
        return await future

    async def run(self) -> None:
        while True:
            group = [await self._queue.get()]
            size = len(group[0][0].reports) or 1
            while not self._queue.empty() and len(group) < self.max_group and size < 20000:
                group.append(self._queue.get_nowait())
                size += len(group[-1][0].reports) or 1
            await self._commit([i for i, _ in group], [f for _, f in group])
            if self._queue.empty():
                await self._flush()

    async def _flush(self) -> None:
        try:
            await _finish_in_thread(self.committer.flush)
        except Exception as exc:  # noqa: BLE001 - harmless: the receipts are signed again
            log.warning("saving receipt envelopes failed: %s", type(exc).__name__)

    async def _commit(self, intakes: list[Intake], futures: list[asyncio.Future[Answer]]) -> None:
        try:
            answers = await _finish_in_thread(self.committer.commit, intakes)
        except (DBAPIError, OSError, StoreUnavailable) as exc:
            log.error("store failed for a group of %d: %s", len(intakes), type(exc).__name__)
            for future in futures:
                if not future.done():
                    future.set_exception(StoreUnavailable("the store is unavailable; retry"))
            return
        except Exception:  # noqa: BLE001 - one message must not end the writer
            if len(intakes) > 1:  # find it: each alone (what did commit is a replay now)
                log.warning("a group of %d failed: storing its messages one at a time",
                            len(intakes))
                for intake, future in zip(intakes, futures, strict=True):
                    await self._commit([intake], [future])
                return
            header = intakes[0].header
            log.exception("storing message %s/%s failed", header.sender, header.message_id)
            if not futures[0].done():
                futures[0].set_exception(InternalFailure(
                    "the node failed to store this message; its operators have the log"))
            return
        self.groups += 1
        for future, answer in zip(futures, answers, strict=True):
            if future.done():
                continue
            if isinstance(answer, MessageConflict):
                future.set_exception(answer)
            else:
                future.set_result(answer)
        if self.committer.noted is not None:
            self.follow_soon()

    def follow_soon(self) -> None:
        """Have the follower run: a write noted people to follow."""
        self._followed.clear()
        self._to_follow.set()

    async def follow(self) -> None:
        """The task that runs the context's ``after_apply`` for the people noted to follow,
        after the senders of the groups that noted them were answered: one run at a time,
        for every person noted since the last one, and at start for what is left noted."""
        while True:
            await self._to_follow.wait()
            self._to_follow.clear()
            more = False
            try:
                more = await _finish_in_thread(follow_noted, self.engine, self.context)
            except Exception:  # noqa: BLE001 - the rows stay noted, for the next run
                log.exception("reading the records to follow failed")
            if more:
                self._to_follow.set()
            elif not self._to_follow.is_set():
                self._followed.set()

    async def settled(self) -> None:
        """Return once the follower has followed every person noted so far (with
        :meth:`follow` running)."""
        await self._followed.wait()
