"""Apply change reports to records, in order, keeping every conflict (DESIGN §5).

Reports about one person apply in (effectiveDate, reportedAt) order. A report applies when
its baseVersion equals the record's version (a new person's record has version 0); the
record then takes the report's record and the next version, and the old one stays in the
history. A report behind the record's version is a conflict: kept, raised, never applied
over the newer record. A report ahead of it is held until the versions between arrive.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, bindparam, select

from gateway.store import conflicts, insert_many, record_history, records, reports
from schema.models.receipt import ReportOutcome

_CHUNK = 500


@dataclass(slots=True)
class Candidate:
    """A report waiting to be applied: new in this transaction, or held from before."""

    report_id: str
    id_number: str
    change_type: str
    effective_date: str
    reported_at: str
    base_version: int
    message_pk: int
    document: bytes
    row_id: int | None = None  # set for reports already stored (held)
    outcome: ReportOutcome = ReportOutcome.HELD
    version: int | None = None
    record: bytes | None = None  # the record of ``document``, when the caller has it

    def record_bytes(self) -> bytes:
        return self.record if self.record is not None else _record_of(self.document)

    @property
    def order(self) -> tuple[str, str, str]:
        return (self.effective_date, self.reported_at, self.report_id)


@dataclass
class Applied:
    """What applying did, for receipts, routing and the audit log."""

    candidates: list[Candidate] = field(default_factory=list)

    def by_message(self) -> dict[int, list[Candidate]]:
        grouped: dict[int, list[Candidate]] = defaultdict(list)
        for candidate in self.candidates:
            grouped[candidate.message_pk].append(candidate)
        return grouped


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


def _versions(connection: Connection, people: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(people):
        rows = connection.execute(select(records.c.id_number, records.c.version)
                                  .where(records.c.id_number.in_(chunk)))
        found.update({row.id_number: row.version for row in rows})
    return found


def _held(connection: Connection, people: list[str]) -> list[Candidate]:
    held = []
    for chunk in _chunks(people):
        rows = connection.execute(select(reports).where(reports.c.status == "held",
                                                        reports.c.id_number.in_(chunk)))
        held += [Candidate(r.report_id, r.id_number, r.change_type, r.effective_date,
                           r.reported_at, r.base_version, r.message_pk, r.document,
                           row_id=r.id) for r in rows]
    return held


def _decide(candidates: list[Candidate], version: int) -> list[Candidate]:
    """Settle one person's candidates in order; the ones applied, in version order."""
    applied: list[Candidate] = []
    pending = sorted(candidates, key=lambda c: c.order)
    progress = True
    while progress:
        progress = False
        for candidate in pending:
            if candidate.outcome is not ReportOutcome.HELD:
                continue
            if candidate.base_version == version:
                version += 1
                candidate.outcome, candidate.version = ReportOutcome.APPLIED, version
                applied.append(candidate)
                progress = True
            elif candidate.base_version < version:
                candidate.outcome, candidate.version = ReportOutcome.CONFLICT, version
    return applied


def _record_of(document: bytes) -> bytes:
    record = json.loads(document)["record"]
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()


def _write(connection: Connection, versions: dict[str, int], applied: list[Candidate],
           settled: list[Candidate]) -> None:
    now = dt.datetime.now(dt.UTC).isoformat()
    latest: dict[str, tuple[Candidate, bytes]] = {}
    history = []
    for candidate in applied:
        record = candidate.record_bytes()
        latest[candidate.id_number] = (candidate, record)
        history.append({"id_number": candidate.id_number, "version": candidate.version,
                        "report_id": candidate.report_id, "change_type": candidate.change_type,
                        "effective_date": candidate.effective_date, "applied_at": now,
                        "document": record})
    insert_many(connection, record_history, history)
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for person, (candidate, record) in latest.items():
        row = {"id_number": person, "version": candidate.version, "updated_at": now,
               "last_report_id": candidate.report_id, "document": record}
        (updates if person in versions else inserts).append(row)
    insert_many(connection, records, inserts)
    if updates:
        connection.execute(records.update().where(records.c.id_number == bindparam("pk"))
                           .values(version=bindparam("version"),
                                   updated_at=bindparam("updated_at"),
                                   last_report_id=bindparam("last_report_id"),
                                   document=bindparam("document")),
                           [{**row, "pk": row["id_number"]} for row in updates])
    raised = [{"id_number": c.id_number, "report_id": c.report_id,
               "base_version": c.base_version, "record_version": c.version or 0,
               "raised_at": now, "status": "open"}
              for c in settled if c.outcome is ReportOutcome.CONFLICT]
    if raised:
        connection.execute(conflicts.insert(), raised)
    old = [{"rid": c.row_id, "status": c.outcome.value, "record_version": c.version}
           for c in settled if c.row_id is not None and c.outcome is not ReportOutcome.HELD]
    if old:
        connection.execute(reports.update().where(reports.c.id == bindparam("rid"))
                           .values(status=bindparam("status"),
                                   record_version=bindparam("record_version")), old)


def apply_reports(connection: Connection, new: list[Candidate]) -> Applied:
    """Settle ``new`` (not yet stored) and the held reports of the same people.

    Sets each candidate's outcome and version; writes records, history, conflicts and the
    new status of held reports. The caller inserts the ``new`` reports afterwards.
    """
    people = sorted({c.id_number for c in new})
    versions = _versions(connection, people)
    by_person: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in [*new, *_held(connection, people)]:
        by_person[candidate.id_number].append(candidate)
    applied: list[Candidate] = []
    settled: list[Candidate] = []
    for person, candidates in by_person.items():
        applied += _decide(candidates, versions.get(person, 0))
        settled += candidates
    _write(connection, versions, applied, settled)
    return Applied(settled)
