"""The append-only, hash-chained audit log.

Each entry's hash is SHA-256 over the previous entry's hash and the entry's own fields
(canonical JSON), so changing, removing or reordering any entry breaks every hash after
it; :func:`verify_chain` finds the first break. Appends happen inside the caller's write
transaction, which holds the store's write lock (:func:`gateway.store.write_lock`), so the
chain has one head even with several processes.

Personal data never goes into the log: subjects are message and report ids, details counts.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from gateway.store import audit_log

GENESIS = "0" * 64


@dataclass(frozen=True, slots=True)
class AuditEvent:
    actor: str
    action: str
    subject: str
    detail: dict[str, Any]


def entry_hash(prev_hash: str, seq: int, at: str, actor: str, action: str, subject: str,
               detail: str) -> str:
    body = json.dumps([seq, at, actor, action, subject, detail], ensure_ascii=False,
                      separators=(",", ":"))
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def _head(connection: Connection) -> tuple[int, str]:
    row = connection.execute(select(audit_log.c.seq, audit_log.c.hash)
                             .order_by(audit_log.c.seq.desc()).limit(1)).first()
    return (row.seq, row.hash) if row else (0, GENESIS)


def append(connection: Connection, events: Iterable[AuditEvent]) -> int:
    """Append ``events`` to the chain in this transaction; the number appended."""
    rows = []
    seq, prev = _head(connection)
    at = dt.datetime.now(dt.UTC).isoformat()
    for event in events:
        seq += 1
        detail = json.dumps(event.detail, ensure_ascii=False, sort_keys=True,
                            separators=(",", ":"))
        digest = entry_hash(prev, seq, at, event.actor, event.action, event.subject[:300],
                            detail)
        rows.append({"seq": seq, "at": at, "actor": event.actor, "action": event.action,
                     "subject": event.subject[:300], "detail": detail, "prev_hash": prev,
                     "hash": digest})
        prev = digest
    if rows:
        connection.execute(audit_log.insert(), rows)
    return len(rows)


@dataclass(frozen=True, slots=True)
class ChainReport:
    entries: int
    broken_at: int | None
    problem: str | None

    @property
    def ok(self) -> bool:
        return self.broken_at is None


def _entries(connection: Connection, chunk: int = 5000) -> Iterator[Any]:
    last = 0
    while True:
        rows = connection.execute(select(audit_log).where(audit_log.c.seq > last)
                                  .order_by(audit_log.c.seq).limit(chunk)).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq


def verify_chain(connection: Connection) -> ChainReport:
    """Recompute every hash; report the first entry that does not hold."""
    prev, expected_seq, count = GENESIS, 1, 0
    for row in _entries(connection):
        if row.seq != expected_seq:
            return ChainReport(count, row.seq, f"entry {expected_seq} is missing")
        if row.prev_hash != prev:
            return ChainReport(count, row.seq, "prev_hash does not match the entry before")
        if entry_hash(prev, row.seq, row.at, row.actor, row.action, row.subject,
                      row.detail) != row.hash:
            return ChainReport(count, row.seq, "the entry's hash does not match its content")
        prev, expected_seq, count = row.hash, expected_seq + 1, count + 1
    return ChainReport(count, None, None)
