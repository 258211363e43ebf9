"""FileResult: the verdict, the cap on findings, strict mode and the JSON form."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fixtures._invalid import edit
from fixtures._people import inflow_report, wang_xiuying
from schema.issues import Issue, Severity
from schema.validation import MAX_ISSUES, FileResult, ValidationOptions, _result, validate_path
from schema.xmlcodec import dumps_xml

LENIENT = ValidationOptions()
STRICT = ValidationOptions(strict=True)


def error(path: str = "idNumber", line: int | None = 3) -> Issue:
    return Issue("id.sex", Severity.ERROR, path, "性别", "sex", line)


def warning(path: str = "idNumber", line: int | None = 3) -> Issue:
    return Issue("id.checksum", Severity.WARNING, path, "校验码", "check character", line)


def test_errors_make_a_file_invalid_warnings_do_not() -> None:
    result = FileResult("a.xml")
    assert result.valid
    result.add(warning(), LENIENT)
    assert result.valid and result.warnings == [warning()]
    result.add(error(), LENIENT)
    assert not result.valid and result.errors == [error()]


def test_strict_files_warnings_as_errors() -> None:
    result = FileResult("a.xml")
    result.add(warning(), STRICT)
    assert not result.valid
    assert result.warnings == []
    assert [(i.rule, i.severity) for i in result.errors] == [("id.checksum", Severity.ERROR)]


def test_the_cap_counts_what_it_drops(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_result, "MAX_ISSUES", 3)
    result = FileResult("a.xml")
    for index in range(5):
        result.add(error(f"reports[{index}].idNumber"), LENIENT)
    assert [i.path for i in result.errors] == [f"reports[{i}].idNumber" for i in range(3)]
    assert result.dropped == 2


def test_the_default_cap() -> None:
    assert MAX_ISSUES == 1000
    result = FileResult("a.xml")
    for _ in range(MAX_ISSUES + 10):
        result.add(error(), LENIENT)
    assert len(result.errors) == MAX_ISSUES and result.dropped == 10


def test_an_error_beyond_the_cap_still_makes_the_file_invalid(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_result, "MAX_ISSUES", 2)
    result = FileResult("a.xml")
    result.add(warning(), LENIENT)
    result.add(warning(), LENIENT)
    result.add(error(), LENIENT)
    assert not result.valid


def test_a_file_whose_errors_were_dropped_is_invalid(monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    report = edit(inflow_report(wang_xiuying(), "R1"), {"idNumber": "411622198503124513"})
    path = tmp_path / "report.xml"
    path.write_bytes(dumps_xml(report))
    result = validate_path(path)
    assert [i.rule for i in result.warnings + result.errors] == ["id.checksum", "id.sex"]
    monkeypatch.setattr(_result, "MAX_ISSUES", 1)
    result = validate_path(path)
    assert result.dropped == 1
    assert not result.valid


def test_json_form() -> None:
    result = FileResult("a.xml", format="xml", schema_version="2", document_type="ChangeReport")
    result.add(error("record.idNumber", 18), LENIENT)
    result.add(warning("record.idNumber", None), LENIENT)
    assert result.to_json() == {
        "file": "a.xml", "valid": False, "format": "xml", "schemaVersion": "2",
        "documentType": "ChangeReport",
        "errors": [{"rule": "id.sex", "path": "record.idNumber", "line": 18,
                    "message": "性别 / sex"}],
        "warnings": [{"rule": "id.checksum", "path": "record.idNumber", "line": None,
                      "message": "校验码 / check character"}],
    }


def test_reference_date_defaults_to_today() -> None:
    assert ValidationOptions().reference_date() == dt.date.today()
    assert ValidationOptions(today=dt.date(2010, 4, 7)).reference_date() == dt.date(2010, 4, 7)
