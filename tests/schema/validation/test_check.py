"""DocumentChecker: models and rules on decoded parts, findings placed in the file."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fixtures._people import inflow_report, wang_xiuying
from schema.documents import document_type
from schema.validation import FileResult, ValidationOptions
from schema.validation._check import DocumentChecker

TODAY = dt.date(2010, 4, 7)


def checker(name: str = "ChangeReport", **options: Any) -> DocumentChecker:
    return DocumentChecker(document_type(name, "2"), ValidationOptions(**options),
                           FileResult("f.json"))


def report_data(**record: Any) -> dict[str, Any]:
    data = inflow_report(wang_xiuying(), "R1").model_dump(mode="json", exclude_none=True)
    data["record"].update(record)
    return data


def test_a_valid_document() -> None:
    check = checker()
    assert check.document(report_data()) is not None
    assert (check.result.errors, check.result.warnings, check.result.documents) == ([], [], 1)


def test_rule_findings_get_their_line() -> None:
    check = checker()
    check.document(report_data(maritalStatus="10", marriageDate=None, spouse=None),
                   lambda path: 40 if path.startswith("record.") else None)
    assert check.result.errors == []
    check.document(report_data(idNumber="411622198503124528"), lambda path: 17)
    [warning] = check.result.warnings
    assert (warning.rule, warning.path, warning.line) == ("id.checksum", "record.idNumber", 17)


def test_line_offset_moves_every_line() -> None:
    check = checker()
    check.line_offset = 100
    check.document(report_data(idNumber="411622198503124528"), lambda path: 2)
    assert check.result.warnings[0].line == 102


def test_schema_findings_stop_the_rules() -> None:
    check = checker()
    assert check.document(report_data(sex="3", idNumber="411622198503124528")) is None
    assert {i.rule for i in check.result.errors} == {"schema"}
    assert check.result.warnings == []


def test_a_bare_record_is_judged_on_the_given_day() -> None:
    record = wang_xiuying().model_dump(mode="json", exclude_none=True)
    early = checker("PersonRecord", today=dt.date(2010, 3, 1))
    early.document(record)
    assert {i.rule for i in early.result.errors} == {"dates.future"}
    later = checker("PersonRecord", today=TODAY)
    later.document(record)
    assert later.result.errors == []


def test_reports_of_a_batch_are_prefixed() -> None:
    check = checker("ChangeReportBatch")
    check.report(4, report_data(idNumber="411622198503124528"), lambda path: 9)
    [warning] = check.result.warnings
    assert (warning.path, warning.line) == ("reports[4].record.idNumber", 9)
    assert check.result.documents == 1


def test_a_batch_header_and_its_count() -> None:
    check = checker("ChangeReportBatch")
    declared = check.header({"batchId": "B1", "period": "2010-04",
                             "reportingUnit": {"region": "410102", "department": "RKJS"},
                             "reportCount": 2},
                            lambda path: 5 if path == "reportCount" else None)
    assert declared == 2
    check.count(declared, 2)
    assert check.result.errors == []
    check.count(declared, 1)
    [error] = check.result.errors
    assert (error.rule, error.path, error.line) == ("batch.count", "reportCount", 5)


def test_a_bad_header_gives_no_count() -> None:
    check = checker("ChangeReportBatch")
    assert check.header({"batchId": "B1", "period": "2010-13"}) is None
    check.count(None, 3)
    assert {i.rule for i in check.result.errors} == {"schema"}
