"""Match notices to records (数据对接): by ID number, and by name and birth date.

A notice about a known person (same ID number, same name) changes that record; a police
temporary-residence registration (GA INFLOW) of an unknown person that carries every field
a record needs opens one; a notice whose number is unknown but whose name and birth date
match a record is a possible mistyped number, and waits, as does every other notice.

:class:`Ledger` is the view of the records one request works on: the store's records,
plus the changes this request has already decided (several notices about one person chain
their versions).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, literal, select

from gateway.docking._merge import changed_fields, merge_notice, opening_record
from gateway.docking._pending import (
    Pending,
    mistyped_id,
    name_mismatch,
    unknown_person,
)
from gateway.store import birth_segment, records
from schema.models.v2 import DepartmentNotice

_CHUNK = 500


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

    def load(self, id_numbers: Iterable[str]) -> None:
        wanted = sorted({n for n in id_numbers if n not in self.people})
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start:start + _CHUNK]
            rows = self.connection.execute(
                select(records.c.id_number, records.c.version, records.c.document)
                .where(records.c.id_number.in_(chunk)))
            found = {r.id_number: (json.loads(r.document), r.version) for r in rows}
            for number in chunk:
                self.people[number] = found.get(number)

    def get(self, id_number: str) -> tuple[dict[str, Any], int] | None:
        if id_number not in self.people:
            self.load([id_number])
        return self.people[id_number]

    def set(self, id_number: str, record: dict[str, Any], version: int) -> None:
        self.people[id_number] = (record, version)

    def namesake(self, id_number: str, name: str, birth_date: str) -> str | None:
        """Another person's ID number with this name and birth date, if there is one."""
        segment = birth_date.replace("-", "")
        for number, state in self.people.items():
            if state is not None and number != id_number and _same(state[0], name, birth_date):
                return number
        rows = self.connection.execute(
            select(records.c.id_number, records.c.document)
            .where(birth_segment(records.c.id_number) == literal(segment, literal_execute=True),
                   records.c.id_number != id_number)
            .order_by(records.c.id_number))
        for row in rows:
            state = self.people.get(row.id_number)
            document = state[0] if state is not None else json.loads(row.document)
            if _same(document, name, birth_date):
                return str(row.id_number)
        return None


def _same(record: dict[str, Any], name: str, birth_date: str) -> bool:
    return bool(record.get("name") == name and record.get("birthDate") == birth_date)


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
    if record.get("name") != subject.name:
        return name_mismatch(subject.id_number)
    after = merge_notice(record, notice)
    fields = changed_fields(record, after)
    if not fields:
        return Unchanged(version)
    return Change(record, after, version, tuple(fields))


def in_order(notices: Sequence[DepartmentNotice]) -> list[int]:
    """Indexes of ``notices`` in the order to decide them: by effective date, then as sent."""
    return sorted(range(len(notices)), key=lambda i: (notices[i].effective_date, i))
