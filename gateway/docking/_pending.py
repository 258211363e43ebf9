"""Pending items (待核实事项): what docking could not settle, for a clerk to verify.

Each item names its kind, the notice, the person's masked ID number and a reason in Chinese
and English. Version conflicts of received reports (DESIGN §5) are listed beside them, read
from the conflicts table, as kind ``version-conflict``; so does a notice that would change
a record with an open conflict, or a field a later change (by effective date) set.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Connection, select

from gateway.store import conflicts, pending_items


class PendingKind(StrEnum):
    UNKNOWN_PERSON = "unknown-person"
    POSSIBLE_MISTYPED_ID = "possible-mistyped-id"
    NAME_MISMATCH = "name-mismatch"
    RECORD_INVALID = "record-invalid"
    VERSION_CONFLICT = "version-conflict"
    VERSION_GAP = "version-gap"


def masked(id_number: str) -> str:
    """``411622198503124529`` → ``4116************29`` (never log a whole number)."""
    return id_number[:4] + "*" * 12 + id_number[-2:]


@dataclass(frozen=True, slots=True)
class Pending:
    """A pending item to raise: why a notice waits."""

    kind: PendingKind
    id_number: str
    reason_zh: str
    reason_en: str

    def row(self, notice_id: str, now: dt.datetime) -> dict[str, Any]:
        return {"created_at": now.isoformat(), "kind": self.kind.value, "notice_id": notice_id,
                "id_number_masked": masked(self.id_number), "reason_zh": self.reason_zh,
                "reason_en": self.reason_en, "status": "open"}


def unknown_person(id_number: str) -> Pending:
    return Pending(PendingKind.UNKNOWN_PERSON, id_number,
                   "无此人个案，且通报信息不足以建档：请核实",
                   "no record of this person, and the notice cannot open one: verify")


def mistyped_id(id_number: str, candidate: str) -> Pending:
    return Pending(PendingKind.POSSIBLE_MISTYPED_ID, id_number,
                   f"身份号码可能录错：同名同出生日期的个案为 {masked(candidate)}",
                   f"possible mistyped ID number: a record with the same name and birth "
                   f"date is {masked(candidate)}")


def name_mismatch(id_number: str) -> Pending:
    return Pending(PendingKind.NAME_MISMATCH, id_number,
                   "通报姓名与个案姓名不符：请核实身份号码与姓名",
                   "the notice's name differs from the record's: verify number and name")


def open_conflict(id_number: str) -> Pending:
    return Pending(PendingKind.VERSION_CONFLICT, id_number,
                   "个案有未解决的版本冲突：先核实冲突，再处理此通报",
                   "the record has an unresolved version conflict: settle it before this "
                   "notice")


def version_gap(id_number: str) -> Pending:
    return Pending(PendingKind.VERSION_GAP, id_number,
                   "个案有报告单在等待尚未收到的前序版本：待其到达后重新对接此通报",
                   "the record has reports held for versions not yet received: retry this "
                   "notice once they arrive")


def older_than_record(id_number: str, fields: list[str]) -> Pending:
    listed = ", ".join(fields)
    return Pending(PendingKind.VERSION_CONFLICT, id_number,
                   f"通报生效日期早于个案对（{listed}）的最近变更：请核实",
                   f"the notice takes effect before the record's latest change of ({listed}): "
                   f"verify")


def record_invalid(id_number: str, rules: list[str]) -> Pending:
    listed = ", ".join(rules)
    return Pending(PendingKind.RECORD_INVALID, id_number,
                   f"按通报变更后的个案不符合逻辑校验规则（{listed}）：请核实",
                   f"the record after this notice breaks rules ({listed}): verify")


def _item(row: Any) -> dict[str, Any]:
    return {"id": row.id, "created": row.created_at, "kind": row.kind,
            "noticeId": row.notice_id, "idNumber": row.id_number_masked,
            "reasonZh": row.reason_zh, "reasonEn": row.reason_en, "status": row.status,
            "resolvedAt": row.resolved_at, "resolution": row.resolution}


def _conflict(row: Any) -> dict[str, Any]:
    return {"id": f"C{row.id}", "created": row.raised_at,
            "kind": PendingKind.VERSION_CONFLICT.value, "noticeId": None,
            "idNumber": masked(row.id_number),
            "reasonZh": f"报告单 {row.report_id} 基于版本 {row.base_version}，个案已是版本 "
                        f"{row.record_version}：版本冲突，请核实",
            "reasonEn": f"report {row.report_id} was based on version {row.base_version}, the "
                        f"record is at version {row.record_version}: conflict, verify",
            "status": row.status, "resolvedAt": row.resolved_at, "resolution": row.resolution}


def pending_view(connection: Connection, status: str | None = "open", limit: int = 1000,
                 kind: PendingKind | None = None) -> list[dict[str, Any]]:
    """Pending items and version conflicts, oldest first (``status`` None: all; ``kind``
    None: every kind)."""
    items = select(pending_items).order_by(pending_items.c.id).limit(limit)
    raised = select(conflicts).order_by(conflicts.c.id).limit(limit)
    if status is not None:
        items = items.where(pending_items.c.status == status)
        raised = raised.where(conflicts.c.status == status)
    if kind is not None:
        items = items.where(pending_items.c.kind == kind.value)
    found = [_item(r) for r in connection.execute(items)]
    if kind in (None, PendingKind.VERSION_CONFLICT):
        found += [_conflict(r) for r in connection.execute(raised)]
    found.sort(key=lambda item: str(item["created"]))
    return found[:limit]
