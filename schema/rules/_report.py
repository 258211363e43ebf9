"""Report and batch rules: the record rules inside a report, ``report.fields``, the reporting
unit's region, and ``batch.count``.

A report describes its effectiveDate: hukou and residence codes must be in force in that year.
Its reportedAt is "now": a date after reportedAt's own calendar day (in its own offset) lies in
the future, the effectiveDate included.
"""

from __future__ import annotations

from typing import Any

from schema.codes import ChangeType
from schema.issues import Issue
from schema.models import v1, v2
from schema.rules._catalogue import issue
from schema.rules._dates import future_issue
from schema.rules._frame import Frame
from schema.rules._record import run_record_rules
from schema.rules._region_codes import check_region_exists

Report = v1.ChangeReport | v2.ChangeReport


def check_report(report: Report) -> list[Issue]:
    """Every logic rule of a change report; paths are relative to the report."""
    out: list[Issue] = []
    reported_on = report.reported_at.date()
    effective = report.effective_date
    if effective > reported_on:
        out.append(future_issue("effectiveDate", effective, reported_on))
    check_region_exists(report.reporting_unit.region, "reportingUnit.region", out)
    run_record_rules(report.record, Frame("record.", reported_on, effective.year), out)
    check_fields(report.change_type, report.record, out)
    return out


def check_fields(change: ChangeType, record: Any, out: list[Issue]) -> None:
    """``report.fields``: INFLOW has an inflowDate, OUTFLOW an outflowDate, BIRTH at least one
    child (of a report's record, or of what a department notice knows)."""
    if change is ChangeType.INFLOW and record.inflow_date is None:
        out.append(_missing(change, "record.inflowDate", "流入日期", "an inflowDate"))
    elif change is ChangeType.OUTFLOW and record.outflow_date is None:
        out.append(_missing(change, "record.outflowDate", "流出日期", "an outflowDate"))
    elif change is ChangeType.BIRTH and not record.children:
        out.append(_missing(change, "record.children", "子女", "at least one child"))


def _missing(change: ChangeType, path: str, field_zh: str, field_en: str) -> Issue:
    return issue(
        "report.fields",
        path,
        f"变更类型 {change.value}（{change.label_zh}）的个案信息缺少{field_zh}",
        f"a {change.value} report's record needs {field_en}",
    )


def check_batch_count(declared: int, actual: int) -> list[Issue]:
    """reportCount equals the number of reports in the batch."""
    if declared == actual:
        return []
    return [
        issue(
            "batch.count",
            "reportCount",
            f"报告单数为 {declared}，批次中实际有 {actual} 份报告单",
            f"reportCount says {declared}, but the batch holds {actual} reports",
        )
    ]
