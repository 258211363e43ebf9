"""The CPU half of receiving a message: verify → check access → parse + validate.

Nothing here touches the store. An envelope that is not authentic raises (the caller
answers 4xx and stores nothing); an authentic envelope always yields an :class:`Intake`,
valid or not, for the writer to store and answer with a receipt.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from gateway.envelope import KeySource, VerifiedEnvelope, verify_envelope
from schema.codes import SchemaVersion
from schema.errors import DocumentError
from schema.issues import Issue, Severity
from schema.models._base import StandardModel
from schema.rules import check_batch_count, check_record, check_report


@dataclass(frozen=True, slots=True)
class ReportIn:
    """One change report of an accepted message, ready for the store."""

    report_id: str
    id_number: str
    change_type: str
    effective_date: str
    reported_at: str  # UTC, sortable
    base_version: int
    hukou_region: str
    digest: str
    document: bytes  # the report as a JSON document of its version
    record: bytes = b""  # its record, as the records table keeps it (compact JSON)


@dataclass(frozen=True)
class Intake:
    """An authentic message and what validation found in it."""

    envelope: bytes
    digest: str
    verified: VerifiedEnvelope
    received_at: dt.datetime
    document: StandardModel | None
    issues: tuple[Issue, ...] = ()
    reason: str | None = None
    reports: tuple[ReportIn, ...] = field(default_factory=tuple)

    @property
    def valid(self) -> bool:
        return self.reason is None

    @property
    def header(self) -> Any:
        return self.verified.header


def _errors(issues: list[Issue]) -> bool:
    return any(issue.severity is Severity.ERROR for issue in issues)


def _rules(document: StandardModel) -> list[Issue]:
    kind = type(document).__name__
    if kind == "ChangeReport":
        return check_report(document)  # type: ignore[arg-type]
    if kind == "ChangeReportBatch":
        reports = document.reports  # type: ignore[attr-defined]
        issues = check_batch_count(document.report_count, len(reports))  # type: ignore[attr-defined]
        for index, report in enumerate(reports):
            issues += [i.at(path_prefix=f"reports[{index}]") for i in check_report(report)]
        return issues
    if kind == "PersonRecord":
        return check_record(document, today=dt.date.today())  # type: ignore[arg-type]
    return []


def _utc(moment: dt.datetime) -> str:
    """``moment`` in UTC, as RFC 3339 text the store orders by. A time within a day of the
    calendar's ends may lie past what UTC can hold (``9999-12-31T23:59:59-14:00``): it
    stands as the last (or first) moment UTC holds."""
    try:
        return moment.astimezone(dt.UTC).isoformat()
    except OverflowError:
        edge = dt.datetime.max if moment.year == dt.MAXYEAR else dt.datetime.min
        return edge.replace(tzinfo=dt.UTC).isoformat()


def report_in(report: Any, version: SchemaVersion) -> ReportIn:
    """The store's view of one change report model."""
    body = report.model_dump(mode="json", exclude_none=True)
    document = json.dumps({"type": "ChangeReport", "schemaVersion": version.value, **body},
                          ensure_ascii=False, separators=(",", ":")).encode()
    record = json.dumps(body["record"], ensure_ascii=False, separators=(",", ":")).encode()
    reported = _utc(report.reported_at)
    return ReportIn(report.report_id, report.record.id_number, str(report.change_type),
                    report.effective_date.isoformat(), reported, report.base_version,
                    report.record.hukou_region, hashlib.sha256(document).hexdigest(),
                    document, record)


def _reports(document: StandardModel, version: SchemaVersion) -> tuple[ReportIn, ...]:
    kind = type(document).__name__
    if kind == "ChangeReport":
        return (report_in(document, version),)
    if kind == "ChangeReportBatch":
        return tuple(report_in(r, version) for r in document.reports)  # type: ignore[attr-defined]
    return ()


def examine(verified: VerifiedEnvelope, envelope: bytes, digest: str) -> Intake:
    """Parse and validate the verified document (schema, then every rule)."""
    now = dt.datetime.now(dt.UTC)
    try:
        document = verified.document_model()
    except DocumentError as exc:
        found = exc.issues or (Issue(exc.code, Severity.ERROR, "", exc.message, exc.message),)
        return Intake(envelope, digest, verified, now, None, tuple(found), exc.code)
    except (RecursionError, MemoryError):
        issue = Issue("malformed", Severity.ERROR, "", "文档结构异常", "pathological document")
        return Intake(envelope, digest, verified, now, None, (issue,), "malformed")
    issues = _rules(document)
    if _errors(issues):
        return Intake(envelope, digest, verified, now, document, tuple(issues), "invalid")
    version = verified.header.schema_version
    return Intake(envelope, digest, verified, now, document, tuple(issues), None,
                  _reports(document, version))


def receive(envelope: bytes, keys: KeySource) -> Intake:
    """Verify (signature, key, permission) and examine one envelope held in memory."""
    verified = verify_envelope(envelope, keys)
    return examine(verified, envelope, hashlib.sha256(envelope).hexdigest())
