"""JSON validation: documents read member by member, batch reports streamed one by one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fixtures.generate import HERE as DOCUMENTS
from schema.codes import SchemaVersion
from schema.validation import ValidationOptions, validate_path
from tests.schema.validation._batches import (
    found,
    header,
    reports,
    rules,
    too_long_remarks,
    write,
    wrong_checksum,
    wrong_sex,
)

HEADER_MEMBERS = {"type": "ChangeReportBatch", "schemaVersion": "2",
                  **header(3).model_dump(mode="json")}


def _report_lines(items: list[Any]) -> str:
    return ",\n".join(r.model_dump_json(exclude_none=True) for r in items)


def reports_first(path: Path, items: list[Any], **members: Any) -> Path:
    """A batch whose "reports" member comes before "type": report i on line 2 + i."""
    head = {**HEADER_MEMBERS, "reportCount": len(items), **members}
    tail = json.dumps(head, ensure_ascii=False, indent=1)[1:]  # '\n "type": ... }'
    path.write_text('{"reports": [\n' + _report_lines(items) + "\n]," + tail,
                    encoding="utf-8")
    return path


# -- batches -------------------------------------------------------------------------------


def test_a_valid_batch(tmp_path: Path) -> None:
    result = validate_path(write(tmp_path / "batch.json", reports(25)))
    assert (result.valid, result.errors, result.warnings) == (True, [], [])
    assert result.documents == 25
    assert (result.format, result.document_type, result.schema_version) == (
        "json", "ChangeReportBatch", "2")


def test_report_findings_carry_the_report_index_and_line(tmp_path: Path) -> None:
    """batchwriter puts the header on line 1 and report i on line 2 + i."""
    path = write(tmp_path / "batch.json", reports(30, {0: wrong_sex, 17: wrong_checksum}))
    assert found(validate_path(path)) == [
        ("id.sex", "reports[0].record.idNumber", 2),
        ("id.checksum", "reports[17].record.idNumber", 19),
    ]


def test_a_schema_error_in_a_report_does_not_stop_the_others(tmp_path: Path) -> None:
    path = write(tmp_path / "batch.json",
                 reports(6, {1: too_long_remarks, 4: wrong_sex}))
    result = validate_path(path)
    assert found(result) == [("schema", "reports[1].remarks", 3),
                             ("id.sex", "reports[4].record.idNumber", 6)]
    assert result.documents == 6


def test_reports_before_type_are_read_in_a_second_pass(tmp_path: Path) -> None:
    path = reports_first(tmp_path / "batch.json", reports(8, {3: wrong_sex, 6: wrong_checksum}))
    result = validate_path(path)
    assert found(result) == [("id.sex", "reports[3].record.idNumber", 5),
                             ("id.checksum", "reports[6].record.idNumber", 8)]
    assert result.documents == 8  # each report checked once
    assert result.document_type == "ChangeReportBatch"


def test_reports_before_type_clean(tmp_path: Path) -> None:
    result = validate_path(reports_first(tmp_path / "batch.json", reports(4)))
    assert result.valid and not result.warnings and result.documents == 4


def test_reports_before_type_with_a_wrong_count(tmp_path: Path) -> None:
    path = reports_first(tmp_path / "batch.json", reports(4), reportCount=5)
    result = validate_path(path)
    [error] = result.errors
    assert (error.rule, error.path) == ("batch.count", "reportCount")
    assert error.line is not None
    assert '"reportCount": 5' in path.read_text(encoding="utf-8").splitlines()[error.line - 1]


@pytest.mark.parametrize("declared", [0, 3, 5, 40])
def test_a_wrong_report_count(tmp_path: Path, declared: int) -> None:
    path = write(tmp_path / "batch.json", reports(4), report_count=declared)
    result = validate_path(path)
    [error] = result.errors
    assert (error.rule, error.path, error.line) == ("batch.count", "reportCount", 1)
    assert f"reportCount says {declared}, but the batch holds 4 reports" in error.message_en


def test_the_count_line_is_the_report_count_member(tmp_path: Path) -> None:
    path = tmp_path / "batch.json"
    path.write_bytes((DOCUMENTS / "invalid" / "batch.count.json").read_bytes())
    [error] = validate_path(path).errors
    assert error.line is not None
    assert '"reportCount": 3' in path.read_text(encoding="utf-8").splitlines()[error.line - 1]


@pytest.mark.parametrize("reports_member", ['"reports": []', '"reports": {}', None],
                         ids=["empty", "object", "missing"])
def test_a_batch_needs_reports(tmp_path: Path, reports_member: str | None) -> None:
    head = json.dumps({**HEADER_MEMBERS, "reportCount": 0})
    text = head[:-1] + (f", {reports_member}}}" if reports_member else "}")
    path = tmp_path / "batch.json"
    path.write_text(text, encoding="utf-8")
    result = validate_path(path)
    assert ("schema", "reports") in {(i.rule, i.path) for i in result.errors}
    assert not result.valid


def test_version_1_batch(tmp_path: Path) -> None:
    path = write(tmp_path / "batch.json", reports(3, {2: wrong_sex}), version=SchemaVersion.V1)
    result = validate_path(path)
    assert result.schema_version == "1"
    assert found(result) == [("id.sex", "reports[2].record.idNumber", 4)]


def test_json_batches_keep_at_most_max_issues(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("schema.validation._result.MAX_ISSUES", 3)
    path = write(tmp_path / "batch.json", reports(10, dict.fromkeys(range(10), wrong_sex)))
    result = validate_path(path)
    assert [i.path for i in result.errors] == [f"reports[{n}].record.idNumber"
                                               for n in range(3)]
    assert result.dropped == 7
    assert result.documents == 10


def test_strict_json(tmp_path: Path) -> None:
    path = write(tmp_path / "batch.json", reports(3, {1: wrong_checksum}))
    assert validate_path(path).valid
    result = validate_path(path, ValidationOptions(strict=True))
    assert [(i.rule, i.severity.value) for i in result.errors] == [("id.checksum", "error")]


# -- documents and defects -------------------------------------------------------------------


def test_a_document_finding_names_its_field_line() -> None:
    path = DOCUMENTS / "invalid" / "id.sex.json"
    [error] = validate_path(path).errors
    assert error.line is not None and error.path == "record.idNumber"
    assert '"idNumber"' in path.read_text(encoding="utf-8").splitlines()[error.line - 1]


@pytest.mark.parametrize(("text", "message"), [
    ('{"schemaVersion": "2", "name": "王秀英"}', 'needs "type" and "schemaVersion"'),
    ('{"type": "PersonRecord"}', 'needs "type" and "schemaVersion"'),
    ('{"type": 1, "schemaVersion": "2"}', "must be strings"),
    ('{"type": "PersonRecord", "schemaVersion": 2}', "must be strings"),
    ('{"type": "PersonRecord", "schemaVersion": "2"} []', "extra data"),
    ('{"type": "PersonRecord", "type": "ChangeReport", "schemaVersion": "2"}', "duplicate key"),
    ('["PersonRecord"]', "expected '{'"),
    ('{"type": "PersonRecord", "schemaVersion": "2", "name": Infinity}', "Infinity"),
], ids=["no-type", "no-version", "type-not-string", "version-not-string", "trailing",
        "duplicate-type", "array", "infinity"])
def test_malformed_documents(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "doc.json"
    path.write_text(text, encoding="utf-8")
    result = validate_path(path)
    assert rules(result.errors) == {"malformed"}
    assert message in result.errors[0].message_en


def test_unknown_version_is_an_unknown_document(tmp_path: Path) -> None:
    path = tmp_path / "doc.json"
    path.write_text('{"type": "PersonRecord", "schemaVersion": "3"}', encoding="utf-8")
    assert rules(validate_path(path).errors) == {"unknown-document"}


def test_a_duplicate_key_inside_a_streamed_report_is_malformed(tmp_path: Path) -> None:
    path = write(tmp_path / "batch.json", reports(3))
    text = path.read_text(encoding="utf-8").replace('"reportId":', '"reportId":"X","reportId":',
                                                    1)
    path.write_text(text, encoding="utf-8")
    result = validate_path(path)
    assert rules(result.errors) == {"malformed"}
    assert "duplicate key" in result.errors[0].message_en


def test_a_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "record.json"
    path.write_bytes(b"\xef\xbb\xbf" + (DOCUMENTS / "valid" / "v2" / "person-record.json")
                     .read_bytes())
    assert validate_path(path).valid


def test_gb18030_json_is_malformed(tmp_path: Path) -> None:
    path = tmp_path / "record.json"
    text = (DOCUMENTS / "valid" / "v2" / "person-record.json").read_text(encoding="utf-8")
    path.write_bytes(text.encode("gb18030"))
    result = validate_path(path)
    assert rules(result.errors) == {"malformed"}
    assert "UTF-8" in result.errors[0].message_en
