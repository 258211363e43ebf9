"""Build receipt documents (schema ``Receipt``) and their bytes in the asked format."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from schema.codes import SchemaVersion
from schema.issues import Issue
from schema.jsoncodec import dumps_json
from schema.models.receipt import (
    RECEIPT_MODELS,
    Disposition,
    Receipt,
    ReceiptIssue,
    ReceiptReport,
    ReportOutcome,
)
from schema.xmlcodec import dumps_xml

#: Findings listed in one receipt at most (the count of the rest is said in the last one).
MAX_RECEIPT_ISSUES = 1000


def new_receipt_id() -> str:
    return f"RCPT-{uuid.uuid4().hex}"


#: What a receipt's text may not hold (the standard's text pattern), written out visibly:
#: a finding may quote the value or the key it is about, control characters included.
_INVISIBLE = {**{code: f"\\x{code:02x}" for code in range(0x20)},
              ord("\t"): "\\t", ord("\n"): "\\n", ord("\r"): "\\r",
              0xFFFE: "\\ufffe", 0xFFFF: "\\uffff"}


def _printable(text: str, limit: int) -> str:
    """``text`` as a receipt may carry it: control characters and the two noncharacters
    written as escapes (``\\t``, ``\\x01``), cut to ``limit`` characters."""
    return text.translate(_INVISIBLE)[:limit]


def _issue(issue: Issue) -> ReceiptIssue:
    return ReceiptIssue(rule=issue.rule if issue.rule[:1].isalpha() else "schema",
                        severity=issue.severity, path=_printable(issue.path, 512),
                        line=issue.line, message=_printable(issue.message, 2000))


def receipt_issues(issues: Iterable[Issue]) -> list[ReceiptIssue]:
    listed = [_issue(issue) for _, issue in zip(range(MAX_RECEIPT_ISSUES), issues,
                                                  strict=False)]
    return listed


def build_receipt(version: SchemaVersion | str, *, message_id: str, sender: str,
                  recipient: str, disposition: Disposition, received_at: dt.datetime,
                  digest: str, reason: str | None = None, issues: Iterable[Issue] = (),
                  lost: Iterable[str] = (),
                  results: Iterable[tuple[str, ReportOutcome, int | None]] = (),
                  receipt_id: str | None = None,
                  ref_to_message_id: str | None = None) -> Receipt:
    """A receipt in schema ``version`` for the message ``message_id`` from ``sender``."""
    model = RECEIPT_MODELS[SchemaVersion(version).value]
    listed = receipt_issues(issues)
    # the results come from the store (report ids already validated): no second validation
    reports = [ReceiptReport.model_construct(report_id=r, outcome=o, record_version=v)
               for r, o, v in results]
    lost_paths = [_printable(path, 512) for path in lost]
    return model(receipt_id=receipt_id or new_receipt_id(), message_id=message_id,
                 sender=sender, recipient=recipient, disposition=disposition,
                 received_at=received_at, digest=digest, reason=reason,
                 issues=listed or None, lost=lost_paths or None, results=reports or None,
                 ref_to_message_id=ref_to_message_id)


def receipt_bytes(receipt: Receipt, envelope_format: str) -> bytes:
    """The receipt document as XML or JSON bytes (compact)."""
    if envelope_format == "xml":
        return dumps_xml(receipt, pretty=False)
    return dumps_json(receipt, indent=None)
