"""Docking a pending item's notice again (重新对接), once what it waited for may have changed.

A notice waits when its person is unknown, its record has an open version conflict or
reports held for versions not yet received, and so on. Once the record has arrived, the
conflict is resolved or the missing versions have come, a clerk retries the item: its notice,
as first docked (kept in the notices table), is decided again against the records as they
are now, the way :func:`gateway.docking.dock_in` decides a fresh one. Items about one person
are decided in effective-date order and chain their versions.

A notice that changes a record now becomes its change report (``D-<noticeId>``), signed as
the node's own submission and taking the receive path like any report. Such an item, and one
whose notice now changes nothing, is resolved with a note saying what became of it; the
notice's remembered outcome is the new one, so a repeat of the notice is answered with it.
A notice that still cannot be applied keeps its item open, with the reason of now. A version
conflict (a ``C`` item) is a received report, not a notice: it is resolved, not retried.

A node does this by itself whenever a write opens or changes a record: a group of received
messages, a request of docked notices, a retry (:func:`redocking` gives the write context
that hook), and when a clerk resolves a version conflict on it. The open items about that
person are then docked again (:func:`redock`), so a notice that waited for the person's
record, the versions a held report needed or the conflict's end is applied as soon as it can.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from sqlalchemy import Connection, Engine, bindparam, select

from gateway.audit import AuditEvent, append
from gateway.docking._dock import (
    Request,
    decide_all,
    pending_answer,
    refuse_taken,
    rejected_answer,
    settle_reports,
    submit,
)
from gateway.docking._read import Rejected, read_notice
from gateway.docking._resolve import item_target
from gateway.errors import NotFound, NotRetryable
from gateway.ingest import Noted, WriteContext, follow, sign_receipts
from gateway.store import conflicts, is_sqlite, notices, pending_items, write_lock
from schema.models import v2

#: Items retried in one transaction (and one signed message of reports).
RETRY_CHUNK = 500
#: Seconds between two chunks of items docked again by the node itself, on SQLite.
_CHUNK_PAUSE = 0.1
#: ID numbers looked up in one query.
_PEOPLE_A_QUERY = 500


@dataclass(frozen=True, slots=True)
class Retried:
    """What became of one item: ``resolved`` now (its notice docked), still ``open`` (the
    notice waits again, or is refused: see ``notice``), ``already-resolved`` before, or
    ``not-found``. ``notice`` is the notice's answer, as ``POST /api/v1/notices`` gives it."""

    id: str
    status: str
    notice: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status, "notice": self.notice}


def retry_key(item: str, engine: Engine | None = None) -> int:
    """The key of a pending item named as listed (``12``); :class:`NotRetryable` for a
    version conflict (``C3``), :class:`NotFound` for what names no item (given the
    ``engine``, a conflict that does not exist is not found either)."""
    table, pk, name = item_target(item)
    if table is conflicts:
        if engine is not None:
            with engine.connect() as connection:
                if connection.execute(select(conflicts.c.id).where(
                        conflicts.c.id == pk)).first() is None:
                    raise NotFound(f"no pending item {name}")
        raise NotRetryable(f"{name} is a version conflict, not a notice: settle it and "
                           f"resolve it, then retry the notices that wait on its record")
    return pk


def open_items(engine: Engine) -> list[int]:
    """The keys of every open pending item, oldest first."""
    with engine.connect() as connection:
        return list(connection.execute(
            select(pending_items.c.id).where(pending_items.c.status == "open")
            .order_by(pending_items.c.id)).scalars())


def items_about(connection: Connection, id_numbers: Collection[str]) -> list[int]:
    """The keys of the open pending items whose notices are about these people, oldest
    first."""
    people = sorted(set(id_numbers))
    keys: list[int] = []
    for start in range(0, len(people), _PEOPLE_A_QUERY):
        keys += connection.execute(
            select(pending_items.c.id)
            .join(notices, notices.c.notice_id == pending_items.c.notice_id)
            .where(pending_items.c.status == "open",
                   notices.c.id_number.in_(people[start:start + _PEOPLE_A_QUERY]))).scalars()
    return sorted(keys)


def _resolution(answer: dict[str, Any]) -> str:
    """The note an item docked on retry is resolved with."""
    if answer.get("reportId") is None:
        return (f"重新对接：个案无需变更（版本 {answer['recordVersion']}） / docked again: "
                f"the record needed no change (version {answer['recordVersion']})")
    return (f"重新对接：已生成报告单 {answer['reportId']}（个案版本 {answer['recordVersion']}） "
            f"/ docked again: report {answer['reportId']} (record version "
            f"{answer['recordVersion']})")


def _settle_items(connection: Connection, request: Request, keys: list[int],
                  now: str) -> list[str]:
    """Write what became of each item and its notice; each item's status."""
    for index, pending in request.pending:
        request.answers[index] = pending_answer(request.notice(index).notice_id, keys[index],
                                                pending)
    waiting = [{"pk": keys[index], "kind": pending.kind.value, "reason_zh": pending.reason_zh,
                "reason_en": pending.reason_en} for index, pending in request.pending]
    if waiting:
        connection.execute(pending_items.update().where(pending_items.c.id == bindparam("pk"))
                           .values(kind=bindparam("kind"), reason_zh=bindparam("reason_zh"),
                                   reason_en=bindparam("reason_en")), waiting)
    statuses: list[str] = []
    resolved, outcomes = [], []
    for index, answer in enumerate(request.answers):
        assert answer is not None
        if answer["status"] in ("matched", "opened"):
            resolved.append({"pk": keys[index], "resolution": _resolution(answer)})
            outcomes.append({"nid": answer["noticeId"], "outcome": answer["status"],
                             "report_id": answer.get("reportId")})
            statuses.append("resolved")
        else:
            statuses.append("open")
    if resolved:
        connection.execute(pending_items.update().where(pending_items.c.id == bindparam("pk"))
                           .values(status="resolved", resolved_at=now,
                                   resolution=bindparam("resolution")), resolved)
        connection.execute(notices.update().where(notices.c.notice_id == bindparam("nid"))
                           .values(outcome=bindparam("outcome"),
                                   report_id=bindparam("report_id")), outcomes)
    return statuses


class _Retried(NamedTuple):
    """One transaction's retries: each item's fate, the receipts to sign, the people whose
    records changed, noted to follow."""

    answers: list[Retried]
    receipt_pks: list[int]
    noted: Noted | None


def _retry_in(connection: Connection, context: WriteContext, keys: Sequence[int],
              now: dt.datetime, why: str) -> _Retried:
    write_lock(connection)
    rows = {row.id: row for row in connection.execute(
        select(pending_items.c.id, pending_items.c.status, pending_items.c.notice_id)
        .where(pending_items.c.id.in_(sorted(set(keys)))))}
    chosen = [key for key in dict.fromkeys(keys)
              if key in rows and rows[key].status == "open" and rows[key].notice_id]
    documents: dict[str, bytes] = {row.notice_id: row.document for row in connection.execute(
        select(notices.c.notice_id, notices.c.document)
        .where(notices.c.notice_id.in_([rows[key].notice_id for key in chosen])))}
    chosen = [key for key in chosen if rows[key].notice_id in documents]
    items: list[v2.DepartmentNotice | Rejected] = [
        read_notice(json.loads(documents[rows[key].notice_id]), now.astimezone().date())
        for key in chosen]
    request = Request(context, items, now)
    request.answers = [None] * len(items)
    for index, item in enumerate(items):
        if isinstance(item, Rejected):  # the rules of this release refuse what was taken
            request.answers[index] = rejected_answer(item)
        else:
            request.fresh.append(index)
    refuse_taken(connection, request)
    decide_all(connection, request)
    receipt_pks = submit(connection, request)
    settle_reports(connection, request)
    statuses = _settle_items(connection, request, chosen, now.isoformat())
    done = {key: Retried(str(key), status, answer)
            for key, status, answer in zip(chosen, statuses, request.answers, strict=True)}
    counts: dict[str, int] = {}
    for retried in done.values():
        counts[retried.status] = counts.get(retried.status, 0) + 1
    if done:
        append(connection, [AuditEvent(context.identity.node_id, "pending.retried",
                                       f"{len(done)} items{why}", counts)])
    answers = []
    for key in keys:
        if key in done:
            answers.append(done[key])
        elif key not in rows:
            answers.append(Retried(str(key), "not-found"))
        elif rows[key].status != "open":
            answers.append(Retried(str(key), "already-resolved"))
        else:  # an item with no notice kept: nothing to dock again
            answers.append(Retried(str(key), "open"))
    return _Retried(answers, receipt_pks, request.noted)


def retry(engine: Engine, context: WriteContext, keys: Sequence[int],
          now: dt.datetime | None = None) -> list[Retried]:
    """Dock the notices of the pending items ``keys`` again, in one transaction; what became
    of each item, in the order given. Sign the receipts after the commit, then let the
    context follow the records that changed (:func:`gateway.ingest.follow`)."""
    with engine.begin() as connection:
        done = _retry_in(connection, context, keys, now or dt.datetime.now(dt.UTC), "")
    sign_receipts(engine, context.identity, done.receipt_pks)
    follow(engine, context, done.noted)
    return done.answers


def redock(engine: Engine, context: WriteContext, id_numbers: Collection[str],
           now: dt.datetime | None = None) -> list[Retried]:
    """Dock again the open items about the people whose records just opened or changed
    (``id_numbers``), :data:`RETRY_CHUNK` items a transaction; what became of each. The
    audit event ``pending.retried`` says the records changed."""
    with engine.begin() as connection:
        write_lock(connection)
        keys = items_about(connection, id_numbers)
    pause = is_sqlite(engine)
    done: list[Retried] = []
    for start in range(0, len(keys), RETRY_CHUNK):
        if start and pause:
            # A pause between chunks lets a write waiting for the lock have it: SQLite's
            # busy handler polls, up to every 100 ms, and would lose every race to the next.
            # PostgreSQL grants the advisory lock to its waiters in turn: no pause there.
            time.sleep(_CHUNK_PAUSE)
        with engine.begin() as connection:
            this_chunk = _retry_in(connection, context, keys[start:start + RETRY_CHUNK],
                                   now or dt.datetime.now(dt.UTC), ": their records changed")
        sign_receipts(engine, context.identity, this_chunk.receipt_pks)
        done += this_chunk.answers
        # What docked again changed records in turn: their people's items are followed too
        # (a chain ends, as each step docks an item and items are finite).
        follow(engine, context, this_chunk.noted)
    return done


def redocking(engine: Engine, context: WriteContext) -> WriteContext:
    """``context``, docking the pending items about the people whose records a write
    opened or changed again once it has committed (:func:`redock`), and so on for the
    records that docking changes."""
    def after_apply(people: Collection[str]) -> None:
        redock(engine, chained, people)

    chained = replace(context, after_apply=after_apply)
    return chained
