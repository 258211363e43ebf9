"""What ``yipanqi outbox list|resend`` and the inbox do with the outbox."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, func, select

from gateway.audit import AuditEvent, append
from gateway.store import dead_letters, destinations, outbox, write_lock

LIST_COLUMNS = (outbox.c.id, outbox.c.message_id, outbox.c.destination, outbox.c.message_type,
                outbox.c.status, outbox.c.attempts, outbox.c.next_attempt_at,
                outbox.c.last_error, outbox.c.created_at, outbox.c.delivered_at,
                outbox.c.lost)


def list_entries(engine: Engine, status: str | None = None, limit: int = 100) -> list[Any]:
    query = select(*LIST_COLUMNS).order_by(outbox.c.id).limit(limit)
    if status:
        query = query.where(outbox.c.status == status)
    with engine.connect() as connection:
        return list(connection.execute(query).all())


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        rows = connection.execute(select(outbox.c.status, func.count())
                                  .group_by(outbox.c.status)).all()
    return {row[0]: row[1] for row in rows}


def held_destinations(engine: Engine) -> list[Any]:
    """The partners the outbox cannot reach now, longest held first."""
    with engine.connect() as connection:
        return list(connection.execute(select(destinations).order_by(
            destinations.c.since, destinations.c.destination)).all())


def resend(engine: Engine, node_id: str, ids: Sequence[int] = (),
           all_dead: bool = False) -> int:
    """Make dead (or rejected) entries due again; the number made due."""
    stamp = dt.datetime.now(dt.UTC).isoformat()
    with engine.begin() as connection:
        write_lock(connection)
        query = select(outbox.c.id, outbox.c.destination, outbox.c.message_id).where(
            outbox.c.status.in_(["dead", "rejected"] if ids else ["dead"]))
        if not all_dead:
            query = query.where(outbox.c.id.in_(list(ids)))
        rows = connection.execute(query).all()
        if not rows:
            return 0
        chosen = [row.id for row in rows]
        connection.execute(outbox.update().where(outbox.c.id.in_(chosen)).values(
            status="pending", attempts=0, next_attempt_at=time.time(), lease_until=None,
            unreachable_since=None))
        connection.execute(dead_letters.update().where(dead_letters.c.outbox_id.in_(chosen),
                                                       dead_letters.c.resent_at.is_(None))
                           .values(resent_at=stamp))
        append(connection, [AuditEvent(node_id, "outbox.resend",
                                       f"{row.destination}/{row.message_id}", {})
                            for row in rows])
    return len(rows)


def inbox_entries(engine: Engine, partner: str, after: int, limit: int) -> list[Any]:
    """Undelivered entries for ``partner`` after the cursor (pull mode)."""
    with engine.connect() as connection:
        return list(connection.execute(
            select(outbox).where(outbox.c.destination == partner, outbox.c.id > after,
                                 outbox.c.status.in_(["pending", "sending"]))
            .order_by(outbox.c.id).limit(limit)).all())


def acknowledge(engine: Engine, node_id: str, partner: str, message_id: str, digest_ok: Any,
                reply: bytes, disposition: str) -> bool:
    """Mark ``message_id`` to ``partner`` delivered (pull mode); False when unknown."""
    stamp = dt.datetime.now(dt.UTC).isoformat()
    with engine.begin() as connection:
        write_lock(connection)
        row = connection.execute(select(outbox.c.id, outbox.c.envelope, outbox.c.status)
                                 .where(outbox.c.message_id == message_id,
                                        outbox.c.destination == partner)).first()
        if row is None or row.envelope is None or not digest_ok(row.envelope):
            return False
        if row.status in ("pending", "sending", "dead"):
            status = "rejected" if disposition == "rejected" else "delivered"
            connection.execute(outbox.update().where(outbox.c.id == row.id).values(
                status=status, delivered_at=stamp, reply=reply, lease_until=None))
            append(connection, [AuditEvent(node_id, f"outbox.{status}",
                                           f"{partner}/{message_id}", {"pulled": True})])
    return True
