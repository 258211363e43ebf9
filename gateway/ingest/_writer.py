"""Group commit: one writer task turns concurrent requests into shared transactions.

Requests hand their verified :class:`Intake` to :meth:`GroupWriter.submit` and wait. The
writer takes everything queued (up to ``max_group``), stores it in one transaction
(:func:`store_group`), signs the receipts after the commit, and answers every waiter with
its receipt. A commit is durable before any receipt leaves (SQLite ``synchronous=FULL``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError

from gateway.errors import MessageConflict, StoreUnavailable
from gateway.ingest._intake import Intake
from gateway.ingest._sign import first_receipt, sign_receipts
from gateway.ingest._store import Fate, Stored, WriteContext, store_group

log = logging.getLogger("yipanqi.ingest")


@dataclass(frozen=True, slots=True)
class Answer:
    """The receipt envelope to answer a message with (200), or a refusal (409)."""

    fate: Fate
    receipt: bytes


def commit_group(engine: Engine, context: WriteContext,
                 intakes: Sequence[Intake]) -> list[Answer | MessageConflict]:
    """Store, commit, sign: the whole synchronous job for one group."""
    for attempt in range(3):
        try:
            with engine.begin() as connection:
                stored, receipt_pks = store_group(connection, intakes, context)
            break
        except IntegrityError:  # another process stored one of these first: look again
            if attempt == 2:
                raise
    envelopes = sign_receipts(engine, context.identity, receipt_pks)
    return [_answer(engine, context, item, envelopes) for item in stored]


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


class GroupWriter:
    """The writer task of one process."""

    def __init__(self, engine: Engine, context: WriteContext, max_group: int = 512) -> None:
        self.engine = engine
        self.context = context
        self.max_group = max_group
        self._queue: asyncio.Queue[tuple[Intake, asyncio.Future[Answer]]] = asyncio.Queue()
        self.groups = 0

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

    async def _commit(self, intakes: list[Intake], futures: list[asyncio.Future[Answer]]) -> None:
        try:
            answers = await asyncio.to_thread(commit_group, self.engine, self.context, intakes)
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
