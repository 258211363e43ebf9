"""Group commit: one writer task turns concurrent requests into shared transactions.

Requests hand their verified :class:`Intake` to :meth:`GroupWriter.submit` and wait. The
writer takes everything queued (up to ``max_group``), stores it in one transaction
(:func:`store_group`), signs the receipts after the commit, and answers every waiter with
its receipt. A commit is durable before any receipt leaves (SQLite ``synchronous=FULL``).
The signed envelopes are saved in the next group's transaction (:class:`GroupCommitter`).
When a group opened or changed records while pending items are open, the context's
``after_apply`` (the node docks the pending items about those people again) runs once the
waiters are answered, in a task of its own (:meth:`GroupWriter.follow`), in its own
transactions: the writer goes on with the next group meanwhile, and docking thousands of
items delays no sender. The people of groups committed while it runs are followed together
next. A failure there is logged and leaves the stored messages as they are; the items stay
open for ``yipanqi pending retry``. :meth:`GroupWriter.settled` waits until it is done.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import DBAPIError, IntegrityError

from gateway.errors import MessageConflict, StoreUnavailable
from gateway.ingest._intake import Intake
from gateway.ingest._sign import (
    Signed,
    first_receipt,
    save_envelopes,
    sign_receipts,
    sign_unsaved,
)
from gateway.ingest._store import Fate, Stored, WriteContext, store_group
from gateway.store import pending_items, write_lock

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
        #: The ID numbers of the records the last group opened or changed, for the
        #: context's ``after_apply``: empty without one, or while no pending item is open.
        self.changed: frozenset[str] = frozenset()

    def commit(self, intakes: Sequence[Intake]) -> list[Answer | MessageConflict]:
        for attempt in range(3):
            try:
                with self.engine.begin() as connection:
                    write_lock(connection)
                    save_envelopes(connection, self._unsaved)
                    stored, receipt_pks, changed = store_group(connection, intakes,
                                                               self.context)
                    if changed and (self.context.after_apply is None
                                    or not _anything_waits(connection)):
                        changed = frozenset()  # no hook, or no pending item to dock again
                break
            except IntegrityError:  # another process stored one of these first: look again
                if attempt == 2:
                    raise
        self._unsaved = []
        self.changed = changed
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


def _anything_waits(connection: Connection) -> bool:
    """Whether any pending item is open: one indexed look in the group's transaction spares
    the ``after_apply`` hook its own when nothing waits (most groups)."""
    return connection.execute(select(pending_items.c.id).where(
        pending_items.c.status == "open").limit(1)).first() is not None


def commit_group(engine: Engine, context: WriteContext,
                 intakes: Sequence[Intake]) -> list[Answer | MessageConflict]:
    """Store, commit, sign and save: the whole synchronous job for one group."""
    committer = GroupCommitter(engine, context)
    answers = committer.commit(intakes)
    committer.flush()
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
        #: The ID numbers of the records groups opened or changed, not yet followed.
        self._changed: set[str] = set()
        self._to_follow = asyncio.Event()
        self._followed = asyncio.Event()
        self._followed.set()

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
        except (DBAPIError, OSError) as exc:  # harmless: the receipts are signed again
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
        self.groups += 1
        for future, answer in zip(futures, answers, strict=True):
            if future.done():
                continue
            if isinstance(answer, MessageConflict):
                future.set_exception(answer)
            else:
                future.set_result(answer)
        if self.committer.changed:
            self._changed.update(self.committer.changed)
            self._followed.clear()
            self._to_follow.set()

    async def follow(self) -> None:
        """The task that runs the context's ``after_apply`` for the records the groups
        opened or changed, after their senders were answered: one run at a time, for every
        person changed since the last one."""
        while True:
            await self._to_follow.wait()
            self._to_follow.clear()
            changed, self._changed = frozenset(self._changed), set()
            try:
                await _finish_in_thread(self.context.applied, changed)
            except Exception:  # applied() logs its own; this keeps the task for the next
                log.exception("following %d changed records failed", len(changed))
            finally:
                if not self._changed:
                    self._followed.set()

    async def settled(self) -> None:
        """Return once ``after_apply`` has run for every group committed so far (with
        :meth:`follow` running)."""
        await self._followed.wait()
