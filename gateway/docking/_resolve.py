"""Marking a pending item or a version conflict resolved, once a clerk has verified it (核实).

An item is named as ``pending_view`` lists it: a number for a pending item, ``C`` and a
number for a version conflict. Resolving records when and the clerk's note, and writes an
audit event; the item leaves the open list. A record whose conflicts are all resolved takes
notices again: the node docks again the notices that waited on it (:attr:`Resolution.person`).
Resolving an item already resolved changes nothing and says so.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from sqlalchemy import Engine, Table, select

from gateway.audit import AuditEvent, append
from gateway.errors import NotFound
from gateway.ingest import Noted
from gateway.ingest import note as note_people
from gateway.store import LARGEST_ID, conflicts, pending_items, write_lock

#: The longest note kept.
NOTE_LIMIT = 500


class Resolution(NamedTuple):
    """What became of an item: ``resolved`` now, or ``already-resolved`` before."""

    id: str
    status: str
    resolved_at: str | None
    note: str | None
    #: The ID number of the record whose version conflict was resolved now: the notices
    #: that waited on it may dock (see :func:`gateway.docking.redock`).
    person: str | None = None
    #: That person, noted to follow in the same transaction (asked with ``to_follow``).
    noted: Noted | None = None

    def to_json(self) -> dict[str, str | None]:
        return {"id": self.id, "status": self.status, "resolvedAt": self.resolved_at,
                "resolution": self.note}


def resolve(engine: Engine, node_id: str, item: str, note: str,
            now: dt.datetime | None = None, *, to_follow: bool = False) -> Resolution:
    """Mark ``item`` resolved with ``note``; :class:`NotFound` when there is no such item,
    ``ValueError`` when the note is not one (:func:`clean_note`). With ``to_follow``, a
    resolved conflict's person is noted to follow in the same transaction
    (:mod:`gateway.ingest._follow`): the items that waited on the record are docked again
    even if the process stops first."""
    table, pk, item = item_target(item)
    note = clean_note(note)
    stamp = (now or dt.datetime.now(dt.UTC)).isoformat()
    with engine.begin() as connection:
        write_lock(connection)
        person = [conflicts.c.id_number] if table is conflicts else []
        row = connection.execute(select(table.c.status, table.c.resolved_at,
                                        table.c.resolution, *person)
                                 .where(table.c.id == pk)).first()
        if row is None:
            raise NotFound(f"no pending item {item}")
        if row.status != "open":
            return Resolution(item, "already-resolved", row.resolved_at, row.resolution)
        connection.execute(table.update().where(table.c.id == pk).values(
            status="resolved", resolved_at=stamp, resolution=note))
        append(connection, [AuditEvent(node_id, "pending.resolved", f"pending/{item}",
                                       {"note": note})])
        noted = note_people(connection, {row.id_number}) if person and to_follow else None
    return Resolution(item, "resolved", stamp, note, row.id_number if person else None, noted)


def clean_note(note: str) -> str:
    """The note, stripped; ``ValueError`` when blank, too long or holding control characters
    other than line breaks."""
    text = note.strip()
    if not text:
        raise ValueError("the note is blank: say what was verified")
    if len(text) > NOTE_LIMIT:
        raise ValueError(f"the note is longer than {NOTE_LIMIT} characters")
    if not text.replace("\n", " ").replace("\r", " ").isprintable():
        raise ValueError("the note holds control characters")
    return text


def item_target(item: str) -> tuple[Table, int, str]:
    """The table and key of an item, and its name as listed (``c7`` is ``C7``)."""
    conflict = item[:1] in ("C", "c")
    digits = item[1:] if conflict else item
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 10 \
            or int(digits) > LARGEST_ID:
        raise NotFound(f"no pending item {item!r}: items are numbers, conflicts C and a number")
    pk = int(digits)
    return (conflicts, pk, f"C{pk}") if conflict else (pending_items, pk, str(pk))
