"""The receipt (回执): a gateway's signed answer to a message it received (DESIGN §5).

A receipt says what became of one message: ``accepted`` (stored; warnings listed),
``rejected`` (stored as evidence, not used; the broken rules listed) or, later, ``applied``
(the change is on the record). It carries the SHA-256 digest of the envelope bytes received,
so the sender can prove what was acknowledged. The same document exists in both namespaces,
``urn:yipanqi:mfp:1`` and ``urn:yipanqi:mfp:2``: a receipt answers in the version it was
asked in.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import ConfigDict, StringConstraints

from schema.issues import Severity
from schema.models._base import StandardModel, doc
from schema.models._types import MAX_INTEGER, TEXT_PATTERN, DateTime, Token

_MESSAGE_ID = r"^[A-Za-z0-9._:-]{1,128}$"
_NODE_ID = r"^[0-9]{6}-[A-Z]{2,4}$"
_DIGEST = r"^[0-9a-f]{64}$"

# Each string type has its own length bounds: the XSD writer names leaf types by them.
MessageId = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=128,
                                             pattern=_MESSAGE_ID)]
NodeId = Annotated[str, StringConstraints(strict=True, min_length=9, max_length=11,
                                          pattern=_NODE_ID)]
Digest = Annotated[str, StringConstraints(strict=True, min_length=64, max_length=64,
                                          pattern=_DIGEST)]
RuleId = Annotated[str, StringConstraints(strict=True, min_length=1, max_length=64,
                                          pattern=r"^[a-z][a-z0-9.-]*$")]
IssuePath = Annotated[str, StringConstraints(strict=True, max_length=512, pattern=TEXT_PATTERN)]
Message = Annotated[str, StringConstraints(strict=True, max_length=2000, pattern=TEXT_PATTERN)]


class Disposition(StrEnum):
    """What became of the message."""

    ACCEPTED = "accepted"
    REJECTED = "rejected"
    APPLIED = "applied"


class ReportOutcome(StrEnum):
    """What became of one change report of the message."""

    STORED = "stored"
    DUPLICATE = "duplicate"
    APPLIED = "applied"
    CONFLICT = "conflict"
    HELD = "held"


class ReceiptIssue(StandardModel):
    """One finding of validation, located."""

    model_config = ConfigDict(title="校验发现")

    rule: RuleId = doc("规则编号", "Rule id")
    severity: Severity = doc("严重程度", "Severity: error or warning")
    path: IssuePath = doc("字段路径", "Path of the field in the document")
    line: int | None = doc("行号", "Line in the received document", default=None, ge=0,
                           le=MAX_INTEGER)
    message: Message = doc("说明", "What is wrong, in Chinese and English")


class ReceiptReport(StandardModel):
    """What became of one change report of the message."""

    model_config = ConfigDict(title="报告单处理结果")

    report_id: Token = doc("报告单编号", "Report id")
    outcome: ReportOutcome = doc("处理结果", "stored, duplicate, applied, conflict or held")
    record_version: int | None = doc("个案版本", "Record version after applying",
                                     default=None, ge=0, le=MAX_INTEGER)


class Receipt(StandardModel):
    """A gateway's receipt for one message it received."""

    model_config = ConfigDict(title="回执")
    list_items: ClassVar[dict[str, str]] = {"issues": "issue", "lost": "path",
                                            "results": "result"}

    receipt_id: MessageId = doc("回执编号", "Receipt id")
    message_id: MessageId = doc("报文编号", "messageId of the message receipted")
    sender: NodeId = doc("发送节点", "Node that sent the message")
    recipient: NodeId = doc("接收节点", "Node that received it and issues this receipt")
    disposition: Disposition = doc("处理结论", "accepted, rejected or applied")
    received_at: DateTime = doc("接收时间", "When the message was stored")
    digest: Digest = doc("报文摘要", "SHA-256 (hex) of the envelope bytes received")
    reason: RuleId | None = doc("拒收原因", "Code of the refusal, when rejected", default=None)
    issues: list[ReceiptIssue] | None = doc("校验发现", "Findings of validation",
                                            default=None, min_length=1)
    lost: list[IssuePath] | None = doc(
        "转换丢失字段", "Fields dropped converting for a partner of an older version",
        default=None, min_length=1)
    results: list[ReceiptReport] | None = doc("报告单处理结果", "What became of each report",
                                              default=None, min_length=1)
    ref_to_message_id: MessageId | None = doc(
        "关联报文编号", "An earlier receipt this one follows up", default=None)


class _Version1:
    """The version 1 twin: the same fields; a class of its own so that a receipt knows its
    namespace, and named ``Receipt`` like the other so the published schemas agree."""

    class Receipt(Receipt):
        """A gateway's receipt for one message it received."""

        model_config = ConfigDict(title="回执")


ReceiptV1 = _Version1.Receipt
ReceiptV2 = Receipt

#: The receipt model of each schema version ("1", "2"): the same fields in each namespace.
RECEIPT_MODELS: dict[str, type[Receipt]] = {"1": ReceiptV1, "2": ReceiptV2}

__all__ = ["Disposition", "RECEIPT_MODELS", "Receipt", "ReceiptIssue", "ReceiptReport",
           "ReceiptV1", "ReceiptV2", "ReportOutcome"]
