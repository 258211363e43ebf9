"""Following the records a write changed: the pending items about those people, docked again.

A write that opens or changes records while pending items are open notes the people in
``records_to_follow``, in its own transaction (:func:`note`). Once it has committed, the
context's ``after_apply`` hook (a node docks the open items about those people again,
:func:`gateway.docking.redock`) runs for them, and the rows are forgotten only after it
returns (:func:`follow`). A node that stops in between, or a hook that fails, leaves the rows:
the node follows them when it next starts, or at its next write (:func:`follow_noted`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.exc import SQLAlchemyError

from gateway.store import insert_many, pending_items, records_to_follow, write_lock

if TYPE_CHECKING:
    from gateway.ingest._store import WriteContext

log = logging.getLogger("yipanqi.ingest")
#: ID numbers in one statement.
_CHUNK = 400
#: Rows of ``records_to_follow`` followed in one run of :func:`follow_noted`.
FOLLOW_LIMIT = 20_000


@dataclass(frozen=True, slots=True)
class Noted:
    """People noted in ``records_to_follow`` by a write, and the table's largest row id
    when it noted them: the rows about them up to it are forgotten once they are followed."""

    people: frozenset[str]
    up_to: int

    @classmethod
    def together(cls, each: Iterable[Noted | None]) -> Noted | None:
        """What several writes noted, to follow at once after the last has committed."""
        found = [noted for noted in each if noted is not None]
        if not found:
            return None
        return cls(frozenset().union(*(n.people for n in found)), max(n.up_to for n in found))


def note(connection: Connection, people: Collection[str],
         now: dt.datetime | None = None) -> Noted | None:
    """Note ``people`` in the caller's write transaction (which holds the write lock, so the
    largest row id read is its own), when any pending item is open: an indexed look, and
    most writes find none and note nothing."""
    if not people:
        return None
    waiting = connection.execute(select(pending_items.c.id).where(
        pending_items.c.status == "open").limit(1)).first()
    if waiting is None:
        return None
    stamp = (now or dt.datetime.now(dt.UTC)).isoformat()
    insert_many(connection, records_to_follow,
                [{"id_number": person, "noted_at": stamp} for person in sorted(people)])
    up_to = connection.execute(select(func.max(records_to_follow.c.id))).scalar_one()
    return Noted(frozenset(people), up_to)


def follow(engine: Engine, context: WriteContext, noted: Noted | None) -> bool:
    """Run the context's ``after_apply`` for the people ``noted``, then forget their rows up
    to ``noted.up_to``. A failing hook is logged and its rows stay, for the next run; whether
    the hook ran."""
    if noted is None or context.after_apply is None:
        return False
    try:
        context.after_apply(noted.people)
    except Exception:  # noqa: BLE001 - the write is committed whatever the hook does
        log.exception("following %d changed records failed; they are followed again at "
                      "the next write or start", len(noted.people))
        return False
    try:
        forget(engine, noted)
    except SQLAlchemyError as exc:  # followed all the same; following again is harmless
        log.warning("forgetting %d followed records failed (%s); they are followed again "
                    "at the next write or start", len(noted.people), type(exc).__name__)
    return True


def forget(engine: Engine, noted: Noted) -> None:
    """Forget the rows about the people ``noted`` up to ``noted.up_to``: they are followed."""
    people = sorted(noted.people)
    with engine.begin() as connection:
        write_lock(connection)
        for start in range(0, len(people), _CHUNK):
            connection.execute(records_to_follow.delete().where(
                records_to_follow.c.id_number.in_(people[start:start + _CHUNK]),
                records_to_follow.c.id <= noted.up_to))


def follow_noted(engine: Engine, context: WriteContext, limit: int = FOLLOW_LIMIT) -> bool:
    """Follow what ``records_to_follow`` holds, the oldest ``limit`` rows; whether more may
    remain. Without an ``after_apply`` hook, nothing."""
    if context.after_apply is None:
        return False
    with engine.begin() as connection:
        write_lock(connection)  # every row up to the largest read is committed
        rows = connection.execute(select(records_to_follow.c.id, records_to_follow.c.id_number)
                                  .order_by(records_to_follow.c.id).limit(limit)).all()
    if not rows:
        return False
    followed = follow(engine, context, Noted(frozenset(r.id_number for r in rows), rows[-1].id))
    return followed and len(rows) == limit


def people_to_follow(connection: Connection) -> int:
    """How many people are noted and not yet followed."""
    return connection.execute(select(func.count(func.distinct(
        records_to_follow.c.id_number)))).scalar_one()
