"""Match notices to records (数据对接): by ID number, and by name and birth date.

A notice about a known person (same ID number, same name) changes that record; a police
temporary-residence registration (GA INFLOW) of an unknown person that carries every field
a record needs opens one; a notice whose number is unknown but whose name and birth date
match a record is a possible mistyped number, and waits, as does every other notice.
Names are compared as :func:`name_key` folds them (width, spaces, invisible characters).

A change waits, too, when the record has an open version conflict or reports held for
versions not yet received, or when it would replace a field that a change effective after
the notice set (an older notice never overwrites newer data; children are merged, never
replaced, so they do not count).

:class:`Ledger` is the view of the records one request works on: the store's records,
plus the changes this request has already decided (several notices about one person chain
their versions).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, literal, select

from gateway.docking._merge import changed_fields, merge_notice, opening_record
from gateway.docking._names import name_key
from gateway.docking._pending import (
    Pending,
    mistyped_id,
    name_mismatch,
    older_than_record,
    open_conflict,
    unknown_person,
    version_gap,
)
from gateway.store import birth_segment, conflicts, record_history, records, reports
from schema.models.v2 import DepartmentNotice

_CHUNK = 500
#: Fields a notice merges into rather than replaces: an older notice may still add to them.
_MERGED = frozenset({"children"})


@dataclass(frozen=True, slots=True)
class Change:
    """A notice that changes (or opens) a record: the report to write."""

    before: dict[str, Any] | None
    after: dict[str, Any]
    base_version: int
    fields: tuple[str, ...]

    @property
    def opens(self) -> bool:
        return self.before is None


@dataclass(frozen=True, slots=True)
class Unchanged:
    """A notice about a known person that changes nothing on the record."""

    version: int


Decision = Change | Unchanged | Pending


class Ledger:
    """Current records (wire form) and versions, loaded once, updated as changes are made."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.people: dict[str, tuple[dict[str, Any], int] | None] = {}
        #: People whose record has an open version conflict.
        self.conflicted: set[str] = set()
        #: People with reports held for versions of their record not yet received.
        self.awaiting: set[str] = set()
        #: The effective date of each person's latest change (ISO text, as stored).
        self.latest: dict[str, str] = {}
        self._set_on: dict[str, dict[str, str]] = {}  # from the history, when needed
        self._set_here: dict[str, dict[str, str]] = {}  # by this request's changes
        #: The people with a record, by its birthDate: :meth:`namesake` looks at one day's
        #: people, not at every person of a request of thousands of notices.
        self._born: dict[str, dict[str, None]] = {}

    def load(self, id_numbers: Iterable[str]) -> None:
        wanted = sorted({n for n in id_numbers if n not in self.people})
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start:start + _CHUNK]
            rows = self.connection.execute(
                select(records.c.id_number, records.c.version, records.c.document)
                .where(records.c.id_number.in_(chunk)))
            found = {r.id_number: (json.loads(r.document), r.version) for r in rows}
            for number in chunk:
                state = self.people[number] = found.get(number)
                if state is not None:
                    self._index(number, state[0])
            self.conflicted.update(self.connection.execute(
                select(conflicts.c.id_number).where(conflicts.c.id_number.in_(chunk),
                                                    conflicts.c.status == "open")).scalars())
            self.awaiting.update(self.connection.execute(
                select(reports.c.id_number).distinct().where(reports.c.id_number.in_(chunk),
                                                             reports.c.status == "held")).scalars())
            self.latest.update({r.id_number: r.latest for r in self.connection.execute(
                select(record_history.c.id_number,
                       func.max(record_history.c.effective_date).label("latest"))
                .where(record_history.c.id_number.in_(chunk))
                .group_by(record_history.c.id_number))})

    def get(self, id_number: str) -> tuple[dict[str, Any], int] | None:
        if id_number not in self.people:
            self.load([id_number])
        return self.people[id_number]

    def set(self, id_number: str, record: dict[str, Any], version: int,
            effective: str | None = None) -> None:
        """The person's record after a change of this request (effective on ``effective``)."""
        known = self.people.get(id_number)
        self._index(id_number, record, known[0] if known is not None else None)
        if effective is not None:
            dates = self._set_here.setdefault(id_number, {})
            for name in changed_fields(known[0] if known is not None else {}, record):
                dates[name] = max(dates.get(name, ""), effective)
            self.latest[id_number] = max(self.latest.get(id_number, ""), effective)
        self.people[id_number] = (record, version)

    def _index(self, id_number: str, record: dict[str, Any],
               before: dict[str, Any] | None = None) -> None:
        if before is not None:
            self._born.get(str(before.get("birthDate")), {}).pop(id_number, None)
        self._born.setdefault(str(record.get("birthDate")), {})[id_number] = None

    def _field_dates(self, id_number: str) -> dict[str, str]:
        """The latest effective date of a change of each field, from the record's history."""
        if id_number not in self._set_on:
            dates: dict[str, str] = {}
            before: dict[str, Any] = {}
            rows = self.connection.execute(
                select(record_history.c.effective_date, record_history.c.document)
                .where(record_history.c.id_number == id_number)
                .order_by(record_history.c.version))
            for row in rows:
                after = json.loads(row.document)
                for name in changed_fields(before, after):
                    # the latest by date, not by version: reports apply out of date order too
                    dates[name] = max(dates.get(name, ""), row.effective_date)
                before = after
            self._set_on[id_number] = dates
        return self._set_on[id_number]

    def overtaken(self, id_number: str, fields: Iterable[str], effective: str) -> list[str]:
        """The ``fields`` a change effective after ``effective`` set (that an older notice
        must not replace)."""
        if self.latest.get(id_number, "") <= effective:
            return []  # nothing later: the common case needs no history
        stored, here = self._field_dates(id_number), self._set_here.get(id_number, {})
        return [name for name in fields if name not in _MERGED
                and max(stored.get(name, ""), here.get(name, "")) > effective]

    def namesake(self, id_number: str, name: str, birth_date: str) -> str | None:
        """Another person's ID number with this name and birth date, if there is one."""
        segment, key = birth_date.replace("-", ""), name_key(name)
        for number in self._born.get(birth_date, ()):
            state = self.people[number]
            if state is not None and number != id_number and _same(state[0], key, birth_date):
                return number
        rows = self.connection.execute(
            select(records.c.id_number, records.c.document)
            .where(birth_segment(records.c.id_number) == literal(segment, literal_execute=True),
                   records.c.id_number != id_number)
            .order_by(records.c.id_number))
        for row in rows:
            state = self.people.get(row.id_number)
            document = state[0] if state is not None else json.loads(row.document)
            if _same(document, key, birth_date):
                return str(row.id_number)
        return None


def _same(record: dict[str, Any], key: str, birth_date: str) -> bool:
    """The record is of someone born on ``birth_date`` whose :func:`name_key` is ``key``."""
    return bool(record.get("birthDate") == birth_date
                and name_key(str(record.get("name", ""))) == key)


def _birth_date(notice: DepartmentNotice) -> str:
    if notice.record.birth_date is not None:
        return notice.record.birth_date.isoformat()
    digits = notice.subject.id_number[6:14]
    return f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"


def _unknown(ledger: Ledger, notice: DepartmentNotice) -> Decision:
    subject = notice.subject
    candidate = ledger.namesake(subject.id_number, subject.name, _birth_date(notice))
    if candidate is not None:
        return mistyped_id(subject.id_number, candidate)
    if str(notice.department) == "GA" and str(notice.change_type) == "INFLOW":
        opened = opening_record(notice)
        if opened is not None and subject.id_number in ledger.awaiting:
            return version_gap(subject.id_number)  # reports wait for the record's opening
        if opened is not None:
            return Change(None, opened, 0, tuple(changed_fields({}, opened)))
    return unknown_person(subject.id_number)


def decide(ledger: Ledger, notice: DepartmentNotice) -> Decision:
    """What one notice does, given the ledger (which the caller updates on a Change)."""
    subject = notice.subject
    known = ledger.get(subject.id_number)
    if known is None:
        return _unknown(ledger, notice)
    record, version = known
    if name_key(str(record.get("name", ""))) != name_key(subject.name):
        return name_mismatch(subject.id_number)
    after = merge_notice(record, notice)
    fields = changed_fields(record, after)
    if not fields:
        return Unchanged(version)
    if subject.id_number in ledger.conflicted:
        # which version is right is for a clerk to settle: a change now would bury it
        return open_conflict(subject.id_number)
    if subject.id_number in ledger.awaiting:
        # the held reports were made on versions this node has not seen yet: a change now
        # would take the version the first of them counts on
        return version_gap(subject.id_number)
    overtaken = ledger.overtaken(subject.id_number, fields, notice.effective_date.isoformat())
    if overtaken:
        return older_than_record(subject.id_number, overtaken)
    return Change(record, after, version, tuple(fields))


def in_order(notices: Sequence[DepartmentNotice]) -> list[int]:
    """Indexes of ``notices`` in the order to decide them: by effective date, then as sent."""
    return sorted(range(len(notices)), key=lambda i: (notices[i].effective_date, i))
