"""The store half of receiving: one write transaction for a group of verified messages.

For each message, in one transaction (DESIGN §5): dedupe on (sender, messageId) — a repeat
gets the original receipt, the same id with another digest is refused; business-key
idempotency on reportId; store the verbatim envelope; apply the reports to the records;
write the outbox entries routing causes; write the receipts (signed after the commit, see
:mod:`gateway.ingest._sign`); append to the audit log.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple

from sqlalchemy import Connection, select

from gateway.audit import AuditEvent, append
from gateway.ingest._follow import Noted, note
from gateway.ingest._intake import Intake, ReportIn
from gateway.node import RECEIPT, NodeIdentity
from gateway.receipts import build_receipt, receipt_bytes
from gateway.records import Candidate, apply_reports
from gateway.routing import Routed, RouteInput, route
from gateway.settings import RouteRule, Settings
from gateway.store import (
    insert_many,
    insert_returning_ids,
    messages,
    outbox,
    receipts,
    reports,
    write_lock,
)
from schema.issues import Issue, Severity
from schema.models.receipt import Disposition, ReportOutcome

_CHUNK = 400


class Fate(StrEnum):
    NEW = "new"
    REPLAY = "replay"
    CONFLICT = "conflict"


@dataclass
class Stored:
    """What became of one message of the group."""

    fate: Fate
    message_pk: int
    receipt_pk: int | None = None


class StoredGroup(NamedTuple):
    """What :func:`store_group` did: each message's fate, the receipts to sign once the
    transaction has committed, and the people whose records it opened or changed, noted to
    follow (:meth:`WriteContext.note`; ``None`` when nothing is to follow)."""

    stored: list[Stored]
    receipt_pks: list[int]
    noted: Noted | None


@dataclass(frozen=True)
class WriteContext:
    """Who writes, and what follows a write."""

    identity: NodeIdentity
    rules: Sequence[RouteRule]
    pull_partners: frozenset[str] = frozenset()
    #: Given the ID numbers of the records a committed write opened or changed (a node
    #: docks the pending items about those people again: :func:`gateway.docking.redock`);
    #: skipped when no pending item is open. See :mod:`gateway.ingest._follow`.
    after_apply: Callable[[frozenset[str]], object] | None = None

    @classmethod
    def of_node(cls, identity: NodeIdentity, settings: Settings) -> WriteContext:
        """The context of a node's writes: its identity, routes and pull partners."""
        return cls(identity, tuple(settings.routes), frozenset(settings.pull_partners))

    def note(self, connection: Connection, changed: frozenset[str]) -> Noted | None:
        """Note the people whose records a write changed, in its transaction, for
        :attr:`after_apply` to follow once it has committed (:mod:`gateway.ingest._follow`)."""
        return note(connection, changed) if self.after_apply is not None else None


@dataclass
class _Work:
    intake: Intake
    reason: str | None
    issues: list[Issue]
    new: list[tuple[int, ReportIn]] = field(default_factory=list)
    duplicates: list[ReportIn] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    message_pk: int = 0

    @property
    def status(self) -> str:
        return "rejected" if self.reason else "accepted"


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


def _key(intake: Intake) -> tuple[str, str]:
    return (intake.header.sender, intake.header.message_id)


def _existing_messages(connection: Connection,
                       keys: list[tuple[str, str]]) -> dict[tuple[str, str], tuple[int, str]]:
    """Per sender, so that the (sender, message_id) unique index is used (a row-value IN
    is a table scan on SQLite)."""
    by_sender: dict[str, list[str]] = {}
    for sender, message_id in keys:
        by_sender.setdefault(sender, []).append(message_id)
    found = {}
    for sender, ids in by_sender.items():
        for chunk in _chunks(ids):
            rows = connection.execute(
                select(messages.c.id, messages.c.message_id, messages.c.digest)
                .where(messages.c.sender == sender, messages.c.message_id.in_(chunk)))
            found.update({(sender, r.message_id): (r.id, r.digest) for r in rows})
    return found


def _existing_reports(connection: Connection, ids: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for chunk in _chunks(ids):
        rows = connection.execute(select(reports.c.report_id, reports.c.digest)
                                  .where(reports.c.report_id.in_(chunk)))
        found.update({r.report_id: r.digest for r in rows})
    return found


def _id_reused(report: ReportIn, index: int, batch: bool) -> Issue:
    path = f"reports[{index}].reportId" if batch else "reportId"
    return Issue("report.id-reused", Severity.ERROR, path,
                 f"报告单编号 {report.report_id} 已用于内容不同的报告单",
                 f"report id {report.report_id} was already used for a different report")


def _sort_reports(works: list[_Work], known: dict[str, str]) -> None:
    """New, duplicate (same reportId, same content) or reused id (different content)."""
    for work in works:
        batch = len(work.intake.reports) > 1 or type(work.intake.document).__name__ \
            == "ChangeReportBatch"
        for index, report in enumerate(work.intake.reports):
            digest = known.get(report.report_id)
            if digest is None:
                known[report.report_id] = report.digest
                work.new.append((index, report))
            elif digest == report.digest:
                work.duplicates.append(report)
            else:
                work.issues.append(_id_reused(report, index, batch))
                work.reason = "invalid"
        if work.reason:
            for _, report in work.new:
                known.pop(report.report_id, None)
            work.new, work.duplicates = [], []


def _insert_messages(connection: Connection, works: list[_Work]) -> None:
    rows = [{"sender": w.intake.header.sender, "message_id": w.intake.header.message_id,
             "recipient": w.intake.header.recipient,
             "message_type": w.intake.header.message_type,
             "schema_version": w.intake.header.schema_version.value,
             "format": w.intake.verified.format.value, "kid": w.intake.verified.kid,
             "digest": w.intake.digest, "status": w.status,
             "received_at": w.intake.received_at.isoformat(),
             "ref_to_message_id": w.intake.header.ref_to_message_id,
             "envelope": w.intake.envelope} for w in works]
    for work, pk in zip(works, insert_returning_ids(connection, messages, rows), strict=True):
        work.message_pk = pk


def _candidates(works: list[_Work]) -> list[Candidate]:
    found = []
    for work in works:
        for _, report in work.new:
            candidate = Candidate(report.report_id, report.id_number, report.change_type,
                                  report.effective_date, report.reported_at,
                                  report.base_version, work.message_pk, report.document,
                                  record=report.record or None)
            work.candidates.append(candidate)
            found.append(candidate)
    return found


def _insert_reports(connection: Connection, works: list[_Work]) -> None:
    rows = []
    for work in works:
        for (_, report), candidate in zip(work.new, work.candidates, strict=True):
            rows.append({"report_id": report.report_id, "message_pk": work.message_pk,
                         "id_number": report.id_number, "change_type": report.change_type,
                         "effective_date": report.effective_date,
                         "reported_at": report.reported_at,
                         "base_version": report.base_version, "digest": report.digest,
                         "status": candidate.outcome.value,
                         "record_version": candidate.version, "document": report.document})
    insert_many(connection, reports, rows)


def _route(work: _Work, context: WriteContext) -> list[Routed]:
    document = work.intake.document
    if work.reason or not work.new or document is None:
        return []
    batch = document if type(document).__name__ == "ChangeReportBatch" else None
    models = [batch.reports[i] if batch is not None else document  # type: ignore[attr-defined]
              for i, _ in work.new]
    source = RouteInput(work.intake.header.sender, work.intake.header.schema_version,
                        [r for _, r in work.new], models, batch)
    routed = route(source, context.rules, context.identity)
    for message in routed:
        work.lost += [f"{message.destination}: {path}" for path in message.lost]
    return routed


def _outbox_row(message: Routed, cause: int, now: dt.datetime, context: WriteContext,
                envelope_format: str = "json", receipt_id: str | None = None) -> dict[str, Any]:
    return {"message_id": message.message_id, "destination": message.destination,
            "message_type": message.message_type, "schema_version": message.schema_version,
            "format": envelope_format, "document": message.document, "envelope": None,
            "cause_pk": cause, "receipt_id": receipt_id,
            "lost": json.dumps(list(message.lost), ensure_ascii=False) if message.lost
            else None,
            "status": "pending", "pull": message.destination in context.pull_partners,
            "attempts": 0, "next_attempt_at": now.timestamp(), "lease_until": None,
            "unreachable_since": None, "last_error": None, "created_at": now.isoformat(),
            "delivered_at": None, "reply": None}


def _receipt_row(work_message: dict[str, Any], disposition: Disposition, context: WriteContext,
                 now: dt.datetime, **fields: Any) -> dict[str, Any]:
    receipt = build_receipt(work_message["schema_version"],
                            message_id=work_message["message_id"],
                            sender=work_message["sender"], recipient=context.identity.node_id,
                            disposition=disposition,
                            received_at=dt.datetime.fromisoformat(work_message["received_at"]),
                            digest=work_message["digest"], **fields)
    return {"receipt_id": receipt.receipt_id, "message_pk": work_message["pk"],
            "disposition": disposition.value, "created_at": now.isoformat(),
            "format": work_message["format"], "schema_version": work_message["schema_version"],
            "document": receipt_bytes(receipt, work_message["format"]), "envelope": None}


def _message_facts(work: _Work) -> dict[str, Any]:
    header = work.intake.header
    return {"pk": work.message_pk, "sender": header.sender, "message_id": header.message_id,
            "schema_version": header.schema_version.value,
            "format": work.intake.verified.format.value, "digest": work.intake.digest,
            "received_at": work.intake.received_at.isoformat()}


def _first_receipts(works: list[_Work], context: WriteContext,
                    now: dt.datetime) -> list[dict[str, Any]]:
    rows = []
    for work in works:
        results: list[tuple[str, ReportOutcome, int | None]] = [
            (r.report_id, ReportOutcome.DUPLICATE, None) for r in work.duplicates]
        results += [(c.report_id, c.outcome, c.version) for c in work.candidates
                    if c.outcome is not ReportOutcome.APPLIED]
        disposition = Disposition.REJECTED if work.reason else Disposition.ACCEPTED
        rows.append(_receipt_row(_message_facts(work), disposition, context, now,
                                 reason=work.reason, issues=work.issues, lost=work.lost,
                                 results=results))
    return rows


def _old_messages(connection: Connection, pks: list[int]) -> dict[int, dict[str, Any]]:
    found = {}
    for chunk in _chunks(pks):
        rows = connection.execute(select(messages.c.id, messages.c.sender,
                                         messages.c.message_id, messages.c.schema_version,
                                         messages.c.format, messages.c.digest,
                                         messages.c.received_at)
                                  .where(messages.c.id.in_(chunk)))
        for r in rows:
            found[r.id] = {"pk": r.id, "sender": r.sender, "message_id": r.message_id,
                           "schema_version": r.schema_version, "format": r.format,
                           "digest": r.digest, "received_at": r.received_at}
    return found


def _applied_receipts(connection: Connection, works: list[_Work], applied: dict[int, list[Any]],
                      context: WriteContext, now: dt.datetime
                      ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    facts = {w.message_pk: _message_facts(w) for w in works}
    facts.update(_old_messages(connection, [pk for pk in applied if pk not in facts]))
    rows, deliveries = [], []
    for pk, candidates in applied.items():
        done = [(c.report_id, c.outcome, c.version) for c in candidates
                if c.outcome is ReportOutcome.APPLIED]
        if not done:
            continue
        message = facts[pk]
        row = _receipt_row(message, Disposition.APPLIED, context, now, results=done)
        rows.append(row)
        if message["sender"] != context.identity.node_id:
            routed = Routed(row["receipt_id"], message["sender"], RECEIPT,
                            message["schema_version"], row["document"], ())
            deliveries.append(_outbox_row(routed, pk, now, context, message["format"],
                                          row["receipt_id"]))
    return rows, deliveries


def _audit(works: list[_Work], node_id: str) -> list[AuditEvent]:
    return [AuditEvent(node_id, f"message.{w.status}",
                       f"{w.intake.header.sender}/{w.intake.header.message_id}",
                       {"digest": w.intake.digest, "type": w.intake.header.message_type,
                        "reports": len(w.intake.reports), "new": len(w.new),
                        "duplicates": len(w.duplicates),
                        "applied": sum(c.outcome is ReportOutcome.APPLIED
                                       for c in w.candidates),
                        "conflicts": sum(c.outcome is ReportOutcome.CONFLICT
                                         for c in w.candidates),
                        "reason": w.reason}) for w in works]


def _triage(connection: Connection, intakes: Sequence[Intake],
            stored: list[Stored | None]) -> list[_Work]:
    existing = _existing_messages(connection, sorted({_key(i) for i in intakes}))
    seen: dict[tuple[str, str], tuple[int, str]] = {}
    works: list[_Work] = []
    for index, intake in enumerate(intakes):
        key = _key(intake)
        if key in existing:
            pk, digest = existing[key]
            stored[index] = Stored(Fate.REPLAY if digest == intake.digest else Fate.CONFLICT, pk)
        elif key in seen:
            first, digest = seen[key]
            stored[index] = Stored(Fate.REPLAY if digest == intake.digest else Fate.CONFLICT,
                                   -first - 1)  # resolved to the first's pk below
        else:
            seen[key] = (index, intake.digest)
            works.append(_Work(intake, intake.reason, list(intake.issues)))
    return works


def store_group(connection: Connection, intakes: Sequence[Intake],
                context: WriteContext) -> StoredGroup:
    """Store a group of messages in the caller's transaction."""
    write_lock(connection)
    now = dt.datetime.now(dt.UTC)
    stored: list[Stored | None] = [None] * len(intakes)
    works = _triage(connection, intakes, stored)
    ids = [r.report_id for w in works if not w.reason for r in w.intake.reports]
    _sort_reports([w for w in works if not w.reason], _existing_reports(connection, ids))
    if works:
        _insert_messages(connection, works)
    applied = apply_reports(connection, _candidates([w for w in works if not w.reason]))
    _insert_reports(connection, works)
    routed = [(w, m) for w in works for m in _route(w, context)]
    boxes = [_outbox_row(m, w.message_pk, now, context) for w, m in routed]
    first = _first_receipts(works, context, now)
    later, deliveries = _applied_receipts(connection, works, applied.by_message(), context, now)
    insert_many(connection, outbox, boxes + deliveries)
    receipt_pks: list[int] = []
    if first or later:
        receipt_pks = insert_returning_ids(connection, receipts, first + later)
    append(connection, _audit(works, context.identity.node_id))
    by_index = {id(w.intake): (w, receipt_pks[n]) for n, w in enumerate(works)}
    for index, intake in enumerate(intakes):
        if id(intake) in by_index and stored[index] is None:
            work, receipt_pk = by_index[id(intake)]
            stored[index] = Stored(Fate.NEW, work.message_pk, receipt_pk)
    for item in stored:
        assert item is not None
        if item.message_pk < 0:
            original = stored[-item.message_pk - 1]
            assert original is not None
            item.message_pk = original.message_pk
    changed = frozenset(c.id_number for c in applied.candidates
                        if c.outcome is ReportOutcome.APPLIED)
    return StoredGroup([s for s in stored if s is not None], receipt_pks,
                       context.note(connection, changed))
