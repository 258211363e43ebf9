"""Dock a request of notices in one transaction, through the receive path of reports.

The changes the notices make become version 2 change reports (reportId ``D-<noticeId>``,
baseVersion the record's version, reportingUnit this node's region and the notice's
department) in one ``ChangeReportBatch`` the node signs with its own key, as its own clerks'
submission. That message takes the same path as any received one
(:func:`gateway.ingest.receive` and :func:`gateway.ingest.store_group`): stored verbatim,
applied to the records, routed on to the registration place and the province. Notices that
cannot be applied become pending items. Each notice is remembered by its noticeId: a repeat
is answered ``duplicate`` with what became of the first; a notice under a known id whose
content (all but ``noticeId`` and ``source``) differs from the first's is refused alone
(``notice.id-reused``) and not remembered, so a corrected notice is never dropped in silence.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import IntegrityError

from gateway.audit import AuditEvent, append
from gateway.docking._match import Change, Decision, Ledger, Unchanged, decide, in_order
from gateway.docking._pending import Pending, record_invalid
from gateway.docking._read import Rejected
from gateway.envelope import EnvelopeHeader, sign_json
from gateway.ingest import (
    Noted,
    WriteContext,
    follow,
    receive,
    sign_receipts,
    store_group,
)
from gateway.store import notices, pending_items, reports, write_lock
from schema.codes import SchemaVersion
from schema.issues import Issue, Severity
from schema.jsoncodec import dumps_json
from schema.models import v2
from schema.rules import check_report
from schema.schemacheck import validate_model

_CHUNK = 500
REPORT_PREFIX = "D-"


def report_id_of(notice_id: str) -> str:
    """The report a notice becomes: ``GA-35…`` → ``D-GA-35…`` (the same every time); a
    notice id too long to carry a prefix gives ``D-`` and 62 hex digits of its digest."""
    if len(notice_id) <= 64 - len(REPORT_PREFIX):
        return REPORT_PREFIX + notice_id
    return REPORT_PREFIX + hashlib.sha256(notice_id.encode()).hexdigest()[:62]


@dataclass
class Request:
    """The notices of one request and what is decided about each."""

    context: WriteContext
    items: Sequence[v2.DepartmentNotice | Rejected]
    now: dt.datetime
    answers: list[dict[str, Any] | None] = field(default_factory=list)
    reports: list[tuple[int, v2.ChangeReport, bool]] = field(default_factory=list)
    pending: list[tuple[int, Pending]] = field(default_factory=list)
    fresh: list[int] = field(default_factory=list)
    #: The people whose records the submitted reports opened or changed, noted to follow.
    noted: Noted | None = None

    def notice(self, index: int) -> v2.DepartmentNotice:
        item = self.items[index]
        assert isinstance(item, v2.DepartmentNotice)
        return item


def rejected_answer(item: Rejected) -> dict[str, Any]:
    return {"noticeId": item.notice_id, "status": "rejected", "rules": item.rules,
            "issues": [{"rule": i.rule, "path": i.path, "messageZh": i.message_zh,
                        "messageEn": i.message_en} for i in item.issues]}


def _known(connection: Connection, ids: list[str]) -> dict[str, Any]:
    found = {}
    for start in range(0, len(ids), _CHUNK):
        rows = connection.execute(select(notices.c.notice_id, notices.c.outcome,
                                         notices.c.report_id, notices.c.pending_pk,
                                         notices.c.document)
                                  .where(notices.c.notice_id.in_(ids[start:start + _CHUNK])))
        found.update({row.notice_id: row for row in rows})
    return found


#: What is not a notice's content: its id, and where it was read (the same fact read from
#: another file or row is the same notice).
_NOT_CONTENT = {"notice_id", "source"}
_NOT_CONTENT_JSON = {"type", "schemaVersion", "noticeId", "source"}


def _content(notice: v2.DepartmentNotice) -> dict[str, Any]:
    """The notice's content in its JSON form, as :func:`_remember` stores it. A version 1
    notice was converted on reading, so it compares as the version 2 notice it became."""
    return notice.model_dump(mode="json", by_alias=True, exclude_none=True,
                             exclude=_NOT_CONTENT)


def _stored_content(document: bytes) -> dict[str, Any]:
    stored: dict[str, Any] = json.loads(document)
    return {k: v for k, v in stored.items() if k not in _NOT_CONTENT_JSON}


def _refused(notice_id: str, rule: str, zh: str, en: str) -> dict[str, Any]:
    """The answer to a notice refused for its id, as a rule would refuse it."""
    return rejected_answer(Rejected(notice_id, (Issue(rule, Severity.ERROR, "noticeId", zh, en),)))


def _id_reused(notice_id: str) -> dict[str, Any]:
    return _refused(notice_id, "notice.id-reused",
                    f"通报编号 {notice_id} 已用于内容不同的另一份通报；请为这份通报另编编号",
                    f"the notice id {notice_id} was used for a different notice; give this "
                    f"notice its own id")


def _triage(connection: Connection, request: Request) -> None:
    """Answer rejected and repeated notices; list the fresh ones. A notice under a known id
    (stored, or earlier in the request) is a repeat only with the first's content: else it
    is refused, and not remembered, so that the first stays what the id means."""
    ids = sorted({i.notice_id for i in request.items if isinstance(i, v2.DepartmentNotice)})
    known = _known(connection, ids)
    seen: dict[str, int] = {}  # noticeId → index of the first in this request
    # The first's content, worked out only when its id comes again.
    contents: dict[str, dict[str, Any]] = {}
    for index, item in enumerate(request.items):
        if isinstance(item, Rejected):
            request.answers[index] = rejected_answer(item)
            continue
        notice_id = item.notice_id
        first = known.get(notice_id)
        if first is None and notice_id not in seen:
            seen[notice_id] = index
            request.fresh.append(index)
            continue
        if notice_id not in contents:
            contents[notice_id] = (_stored_content(first.document) if first is not None
                                   else _content(request.notice(seen[notice_id])))
        if _content(item) != contents[notice_id]:
            request.answers[index] = _id_reused(notice_id)
            continue
        request.answers[index] = {
            "noticeId": notice_id, "status": "duplicate",
            "first": first.outcome if first is not None else None,
            "reportId": first.report_id if first is not None else None,
            "pendingId": first.pending_pk if first is not None else None}
    refuse_taken(connection, request)


def _taken(connection: Connection, ids: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(ids), _CHUNK):
        found.update(connection.execute(select(reports.c.report_id).where(
            reports.c.report_id.in_(ids[start:start + _CHUNK]))).scalars())
    return found


def refuse_taken(connection: Connection, request: Request) -> None:
    """Refuse, alone, a fresh notice whose report id a stored report already has (another
    node's docking of the same notice, routed here): in the batch it would have the whole
    batch refused, every notice with it."""
    wanted = {report_id_of(request.notice(i).notice_id): i for i in request.fresh}
    taken = _taken(connection, sorted(wanted))
    if not taken:
        return
    for report_id in taken:
        notice_id = request.notice(wanted[report_id]).notice_id
        request.answers[wanted[report_id]] = _refused(
            notice_id, "report.id-reused",
            f"通报 {notice_id} 对应的报告单编号 {report_id} 已被使用",
            f"the report id {report_id} of notice {notice_id} is already used")
    request.fresh = [i for i in request.fresh
                     if report_id_of(request.notice(i).notice_id) not in taken]


def _report(request: Request, notice: v2.DepartmentNotice,
            change: Change) -> v2.ChangeReport | Pending:
    record, issues = validate_model(v2.PersonRecord, change.after)
    if record is None:
        return record_invalid(notice.subject.id_number, sorted({i.rule for i in issues}))
    region = request.context.identity.node_id.split("-", 1)[0]
    report = v2.ChangeReport(
        report_id=report_id_of(notice.notice_id), change_type=notice.change_type,
        # In the node's own offset: its date is the day the notice was judged on (today,
        # where the node stands), not UTC's, which lags a day in China's early morning.
        effective_date=notice.effective_date, reported_at=request.now.astimezone(),
        reporting_unit=v2.ReportingUnit(region=region, department=notice.department),
        base_version=change.base_version, changed_fields=list(change.fields), record=record,
        remarks=f"部门通报 {notice.notice_id}")
    errors = sorted({i.rule for i in check_report(report) if i.severity is Severity.ERROR})
    if errors:
        return record_invalid(notice.subject.id_number, errors)
    return report


def decide_all(connection: Connection, request: Request) -> None:
    ledger = Ledger(connection)
    ledger.load(request.notice(i).subject.id_number for i in request.fresh)
    chosen = [request.notice(i) for i in request.fresh]
    for position in in_order(chosen):
        index = request.fresh[position]
        notice = request.notice(index)
        decision: Decision = decide(ledger, notice)
        if isinstance(decision, Unchanged):
            request.answers[index] = {"noticeId": notice.notice_id, "status": "matched",
                                      "reportId": None, "recordVersion": decision.version,
                                      "unchanged": True}
            continue
        if isinstance(decision, Change):
            made = _report(request, notice, decision)
            if isinstance(made, v2.ChangeReport):
                ledger.set(notice.subject.id_number,
                           made.record.model_dump(mode="json", exclude_none=True),
                           made.base_version + 1, notice.effective_date.isoformat())
                request.reports.append((index, made, decision.opens))
                continue
            decision = made
        request.pending.append((index, decision))


def submit(connection: Connection, request: Request) -> list[int]:
    """Sign the reports as this node's own batch and store it like any received message."""
    if not request.reports:
        return []
    identity = request.context.identity
    region = identity.node_id.split("-", 1)[0]
    department = identity.node_id.split("-", 1)[1]
    ids = [report.report_id for _, report, _ in request.reports]
    digest = hashlib.sha256("\n".join(ids).encode()).hexdigest()
    batch = v2.ChangeReportBatch(
        batch_id=f"D-{digest[:40]}", period=f"{request.now:%Y-%m}",
        reporting_unit=v2.ReportingUnit(region=region, department=department),
        report_count=len(ids), reports=[report for _, report, _ in request.reports])
    header = EnvelopeHeader(message_id=f"{identity.node_id}:docking:{digest[:32]}",
                            message_type="ChangeReportBatch", sender=identity.node_id,
                            recipient=identity.node_id, created_at=request.now,
                            schema_version=SchemaVersion.V2)
    envelope = sign_json(dumps_json(batch, indent=None), header, identity.key)
    intake = receive(envelope, identity.keys)
    stored = store_group(connection, [intake], request.context)
    request.noted = stored.noted
    return stored.receipt_pks


def settle_reports(connection: Connection, request: Request) -> None:
    ids = [report.report_id for _, report, _ in request.reports]
    rows = {}
    for start in range(0, len(ids), _CHUNK):
        found = connection.execute(select(reports.c.report_id, reports.c.status,
                                          reports.c.record_version)
                                   .where(reports.c.report_id.in_(ids[start:start + _CHUNK])))
        rows.update({row.report_id: row for row in found})
    for index, report, opens in request.reports:
        notice_id = request.notice(index).notice_id
        row = rows.get(report.report_id)
        if row is None:  # the batch was refused: a report id already used otherwise
            request.answers[index] = {"noticeId": notice_id, "status": "rejected",
                                      "rules": ["report.id-reused"], "issues": []}
            continue
        request.answers[index] = {"noticeId": notice_id,
                                  "status": "opened" if opens else "matched",
                                  "reportId": report.report_id,
                                  "recordVersion": row.record_version, "outcome": row.status}


def _raise_pending(connection: Connection, request: Request) -> None:
    if not request.pending:
        return
    rows = [pending.row(request.notice(index).notice_id, request.now)
            for index, pending in request.pending]
    result = connection.execute(pending_items.insert().returning(
        pending_items.c.id, sort_by_parameter_order=True), rows)
    for (index, pending), row in zip(request.pending, result.all(), strict=True):
        request.answers[index] = pending_answer(request.notice(index).notice_id, row.id,
                                                pending)


def pending_answer(notice_id: str, pending_pk: int, pending: Pending) -> dict[str, Any]:
    return {"noticeId": notice_id, "status": "pending", "pendingId": pending_pk,
            "kind": pending.kind.value, "reasonZh": pending.reason_zh,
            "reasonEn": pending.reason_en}


def _remember(connection: Connection, request: Request) -> None:
    rows = []
    for index in request.fresh:
        notice, answer = request.notice(index), request.answers[index]
        assert answer is not None
        document = json.dumps({"type": "DepartmentNotice", "schemaVersion": "2",
                               **notice.model_dump(mode="json", exclude_none=True)},
                              ensure_ascii=False, separators=(",", ":")).encode()
        rows.append({"notice_id": notice.notice_id, "department": str(notice.department),
                     "change_type": str(notice.change_type),
                     "effective_date": notice.effective_date.isoformat(),
                     "received_at": request.now.isoformat(), "outcome": answer["status"],
                     "report_id": answer.get("reportId"),
                     "pending_pk": answer.get("pendingId"),
                     "id_number": notice.subject.id_number, "document": document})
    if rows:
        connection.execute(notices.insert(), rows)


def _audit(request: Request) -> AuditEvent:
    counts: dict[str, int] = {}
    for answer in request.answers:
        if answer is not None:
            counts[answer["status"]] = counts.get(answer["status"], 0) + 1
    return AuditEvent(request.context.identity.node_id, "notices.docked",
                      f"{len(request.items)} notices", counts)


class Docked(NamedTuple):
    """What docking a request did: the answer per notice, the receipts written (to sign
    once the transaction has committed) and the people whose records it changed, noted to
    follow."""

    answers: list[dict[str, Any]]
    receipt_pks: list[int]
    noted: Noted | None


def dock_in(connection: Connection, context: WriteContext,
            items: Sequence[v2.DepartmentNotice | Rejected],
            now: dt.datetime | None = None) -> Docked:
    """Dock ``items`` in the caller's transaction."""
    write_lock(connection)
    request = Request(context, items, now or dt.datetime.now(dt.UTC))
    request.answers = [None] * len(items)
    _triage(connection, request)
    decide_all(connection, request)
    # The items first: a record this request opens or changes is then noted for them too.
    _raise_pending(connection, request)
    receipt_pks = submit(connection, request)
    settle_reports(connection, request)
    _remember(connection, request)
    append(connection, [_audit(request)])
    answers = [answer for answer in request.answers if answer is not None]
    assert len(answers) == len(items)
    return Docked(answers, receipt_pks, request.noted)


def dock(engine: Engine, context: WriteContext,
         items: Sequence[v2.DepartmentNotice | Rejected],
         now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Dock one request's notices in one transaction; sign its receipts after the commit,
    then let the context follow the records it changed (:func:`gateway.ingest.follow`)."""
    for attempt in range(3):
        try:
            with engine.begin() as connection:
                docked = dock_in(connection, context, items, now)
            break
        except IntegrityError:  # another process docked one of these first: look again
            if attempt == 2:
                raise
    sign_receipts(engine, context.identity, docked.receipt_pks)
    follow(engine, context, docked.noted)
    return docked.answers
