"""XML validation, whole and streamed (batches above ``WHOLE_DOCUMENT_LIMIT``).

``WHOLE_DOCUMENT_LIMIT`` is patched down so that small batches take the streaming path:
iterparse with the XSD plugged in, and on an XSD failure a second pass that validates each
part alone to locate the errors.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from fixtures.generate import HERE as DOCUMENTS
from schema.codes import SchemaVersion
from schema.validation import FileResult, ValidationOptions, _xml, validate_path
from schema.xmlsafe import TAIL_BYTES, ends_with_end_tag
from tests.schema.validation._batches import (
    found,
    line_after,
    reports,
    rules,
    too_long_remarks,
    write,
    wrong_checksum,
    wrong_sex,
)

Validate = Callable[..., FileResult]


@pytest.fixture
def streamed(monkeypatch: pytest.MonkeyPatch) -> Validate:
    """validate_path with every batch streamed; fails if the streaming path is not taken."""
    calls: list[str] = []
    original = _xml.stream_batch

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append("stream")
        return original(*args, **kwargs)

    monkeypatch.setattr(_xml, "stream_batch", spy)

    def run(path: Path, options: ValidationOptions | None = None, *, must_stream: bool = True,
            **kwargs: Any) -> FileResult:
        before = len(calls)
        etree.clear_error_log()  # see test_a_stale_parser_error_does_not_hide_xsd_errors
        with monkeypatch.context() as patch:
            patch.setattr(_xml, "WHOLE_DOCUMENT_LIMIT", 0)
            result = validate_path(path, options, **kwargs)
        assert len(calls) == before + 1 or not must_stream, "the batch was not streamed"
        return result

    return run


def whole(path: Path, options: ValidationOptions | None = None) -> FileResult:
    assert path.stat().st_size <= _xml.WHOLE_DOCUMENT_LIMIT
    return validate_path(path, options)


# -- streaming ----------------------------------------------------------------------------


def test_a_valid_batch_streams_clean(streamed: Validate, tmp_path: Path) -> None:
    result = streamed(write(tmp_path / "batch.xml", reports(40)))
    assert (result.valid, result.errors, result.warnings) == (True, [], [])
    assert result.documents == 40
    assert (result.document_type, result.schema_version, result.format) == (
        "ChangeReportBatch", "2", "xml")


def test_a_version_1_batch_streams_clean(streamed: Validate, tmp_path: Path) -> None:
    result = streamed(write(tmp_path / "batch.xml", reports(5), version=SchemaVersion.V1))
    assert result.valid and result.schema_version == "1"


def test_a_gb18030_batch_streams_clean(streamed: Validate, tmp_path: Path) -> None:
    path = write(tmp_path / "batch.xml", reports(5), encoding="GB18030")
    assert path.read_bytes().startswith(b"<?xml version='1.0' encoding='GB18030'?>")
    assert streamed(path).valid


def test_streamed_rule_findings_name_their_report_and_line(streamed: Validate,
                                                          tmp_path: Path) -> None:
    path = write(tmp_path / "batch.xml", reports(30, {3: wrong_sex, 21: wrong_checksum}))
    result = streamed(path)
    assert found(result) == [
        ("id.sex", "reports[3].record.idNumber", line_after(path, "<report>", 3, "<idNumber>")),
        ("id.checksum", "reports[21].record.idNumber",
         line_after(path, "<report>", 21, "<idNumber>")),
    ]
    assert not result.valid
    assert result.documents == 30


def test_streamed_and_whole_validation_agree_on_rule_findings(streamed: Validate,
                                                              tmp_path: Path) -> None:
    path = write(tmp_path / "batch.xml", reports(12, {0: wrong_sex, 5: wrong_checksum,
                                                      11: wrong_sex}), report_count=13)
    expected = found(whole(path))
    got = found(streamed(path))
    # batch.count is located differently (see test_batch_count_points_at_report_count)
    assert [f for f in got if f[0] != "batch.count"] == [
        f for f in expected if f[0] != "batch.count"]
    assert {f[:2] for f in got} == {f[:2] for f in expected}


def test_strict_streaming_turns_warnings_into_errors(streamed: Validate,
                                                     tmp_path: Path) -> None:
    path = write(tmp_path / "batch.xml", reports(4, {2: wrong_checksum}))
    assert streamed(path).valid
    result = streamed(path, ValidationOptions(strict=True))
    assert not result.valid
    assert [(i.rule, i.severity.value) for i in result.errors] == [("id.checksum", "error")]


def test_an_xsd_error_in_a_report_is_located_by_the_second_pass(streamed: Validate,
                                                                tmp_path: Path) -> None:
    path = write(tmp_path / "batch.xml", reports(20, {13: too_long_remarks}))
    result = streamed(path)
    assert not result.valid
    [error] = result.errors
    assert error.rule == "schema" and error.path.startswith("reports[13]")
    assert error.line == line_after(path, "<report>", 13, "<remarks>")
    assert "remarks" in error.message_en


def test_xsd_errors_in_several_reports_are_all_located(streamed: Validate,
                                                       tmp_path: Path) -> None:
    path = write(tmp_path / "batch.xml", reports(9, {1: too_long_remarks, 7: too_long_remarks}))
    result = streamed(path)
    assert [(i.rule, i.path.split(".")[0], i.line) for i in result.errors] == [
        ("schema", "reports[1]", line_after(path, "<report>", 1, "<remarks>")),
        ("schema", "reports[7]", line_after(path, "<report>", 7, "<remarks>")),
    ]


def test_an_xsd_error_in_the_header_is_located(streamed: Validate, tmp_path: Path) -> None:
    path = write(tmp_path / "batch.xml", reports(3))
    path.write_bytes(path.read_bytes().replace(b"<period>2010-04</period>",
                                               b"<period>2010-13</period>"))
    result = streamed(path)
    [error] = result.errors
    assert error.rule == "schema" and error.path in ("", "period")
    assert error.line == line_after(path, "<period>", 0, "<period>")


def test_a_stale_parser_error_does_not_hide_xsd_errors(streamed: Validate,
                                                       tmp_path: Path) -> None:
    path = write(tmp_path / "batch.xml", reports(20, {13: too_long_remarks}))
    assert rules(streamed(path).errors) == {"schema"}
    validate_path(DOCUMENTS / "hostile" / "truncated-batch.xml")  # a parser error
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_xml, "WHOLE_DOCUMENT_LIMIT", 0)
        result = validate_path(path)
    assert rules(result.errors) == {"schema"}


def test_streamed_and_whole_validation_agree_when_the_xsd_fails(streamed: Validate,
                                                                tmp_path: Path) -> None:
    path = write(tmp_path / "batch.xml", reports(10, {2: wrong_sex, 7: too_long_remarks}))
    assert found(streamed(path)) == found(whole(path))


def test_a_wrong_report_count_is_found_when_streaming(streamed: Validate,
                                                      tmp_path: Path) -> None:
    result = streamed(write(tmp_path / "batch.xml", reports(6), report_count=7))
    [error] = result.errors
    assert (error.rule, error.path) == ("batch.count", "reportCount")
    assert "7" in error.message_en and "6" in error.message_en


@pytest.mark.parametrize("mode", ["whole", "streamed"])
def test_batch_count_points_at_report_count(mode: str, streamed: Validate,
                                            tmp_path: Path) -> None:
    path = write(tmp_path / "batch.xml", reports(2), report_count=3)
    result = streamed(path) if mode == "streamed" else validate_path(path)
    [error] = result.errors
    assert error.line == line_after(path, "<reportCount>", 0, "<reportCount>")


def test_streaming_keeps_at_most_max_issues(streamed: Validate, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("schema.validation._result.MAX_ISSUES", 5)
    broken = dict.fromkeys(range(0, 16, 2), wrong_sex)
    result = streamed(write(tmp_path / "batch.xml", reports(16, broken)))
    assert len(result.errors) == 5
    assert result.dropped == 3
    assert [i.path for i in result.errors] == [f"reports[{n}].record.idNumber"
                                               for n in range(0, 10, 2)]


def test_streaming_reports_progress_to_the_end(streamed: Validate, tmp_path: Path) -> None:
    path = write(tmp_path / "batch.xml", reports(30))
    seen: list[int] = []
    assert streamed(path, progress=seen.append).valid
    assert seen == sorted(seen)
    assert seen[-1] == path.stat().st_size


# -- hostile batches when streaming ----------------------------------------------------------


def _doctype(path: Path, doctype: bytes) -> Path:
    data = path.read_bytes()
    declaration_end = data.index(b"?>") + 3
    path.write_bytes(data[:declaration_end] + doctype + data[declaration_end:])
    return path


@pytest.mark.parametrize("doctype", [
    b"<!DOCTYPE ChangeReportBatch>\n",
    b'<!DOCTYPE ChangeReportBatch [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n',
    b'<!DOCTYPE ChangeReportBatch [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>\n',
], ids=["dtd", "external-entity", "entities"])
def test_a_streamed_batch_with_a_dtd_is_malformed(streamed: Validate, tmp_path: Path,
                                                  doctype: bytes) -> None:
    path = _doctype(write(tmp_path / "batch.xml", reports(3)), doctype)
    result = streamed(path, must_stream=False)  # refused as soon as the DTD is seen
    assert rules(result.errors) == {"malformed"}
    assert "DTD" in result.errors[0].message_en


def test_an_entity_reference_in_a_streamed_batch_is_malformed(streamed: Validate,
                                                              tmp_path: Path) -> None:
    path = _doctype(write(tmp_path / "batch.xml", reports(3)),
                    b'<!DOCTYPE ChangeReportBatch [<!ENTITY n "x">]>\n')
    path.write_bytes(path.read_bytes().replace("王秀英".encode(), b"&n;", 1))
    result = streamed(path, must_stream=False)
    assert rules(result.errors) == {"malformed"}
    assert result.warnings == []


def _cut_after(marker: bytes, occurrence: int) -> Callable[[bytes], bytes]:
    def cut(data: bytes) -> bytes:
        position = -1
        for _ in range(occurrence + 1):
            position = data.index(marker, position + 1)
        return data[:position + len(marker)]

    return cut


@pytest.mark.parametrize("keep", [
    pytest.param(_cut_after(b"<period>20", 0), id="in-the-header"),
    pytest.param(_cut_after(b"<report>", 0), id="at-the-first-report"),
    pytest.param(_cut_after("<name>王".encode(), 4), id="in-a-report"),
    pytest.param(lambda data: data.removesuffix(b"</ChangeReportBatch>\n"),
                 id="closing-tag-missing"),
])
def test_a_truncated_streamed_batch_is_malformed(streamed: Validate, tmp_path: Path,
                                                 keep: Callable[[bytes], bytes]) -> None:
    path = write(tmp_path / "batch.xml", reports(10))
    path.write_bytes(keep(path.read_bytes()))
    assert rules(validate_path(path).errors) == {"malformed"}  # whole: right
    result = streamed(path)
    assert rules(result.errors) == {"malformed"}


def test_the_truncated_fixture_is_malformed_when_streamed(streamed: Validate) -> None:
    result = streamed(DOCUMENTS / "hostile" / "truncated-batch.xml")
    assert rules(result.errors) == {"malformed"}


@pytest.mark.parametrize(("tail", "name", "ends"), [
    (b"</report>\n</ChangeReportBatch>\n", "ChangeReportBatch", True),
    (b"</m:ChangeReportBatch >\r\n<!-- end -->\n<?done yes?>\n", "m:ChangeReportBatch", True),
    (b"</m:ChangeReportBatch>", "ChangeReportBatch", False),
    (b"</ChangeReportBatch></report>", "ChangeReportBatch", False),
    ("<record><name>王".encode(), "ChangeReportBatch", False),
    (b"</ChangeReportBatch>\n end of a long comment -->", "ChangeReportBatch", False),
    (b"", "ChangeReportBatch", False),
])
def test_a_document_ends_with_its_roots_end_tag(tail: bytes, name: str, ends: bool) -> None:
    assert ends_with_end_tag(tail, name) is ends


def test_a_streamed_batch_may_end_with_a_long_comment(streamed: Validate,
                                                      tmp_path: Path) -> None:
    """Past the bytes the end check keeps: the batch is parsed again, and holds."""
    path = write(tmp_path / "batch.xml", reports(3))
    comment = b"<!-- " + b"x" * (2 * TAIL_BYTES) + b" -->\n"
    path.write_bytes(path.read_bytes() + comment)
    result = streamed(path)
    assert result.valid and result.documents == 3
    path.write_bytes(path.read_bytes().replace(b"</ChangeReportBatch>", b"", 1))
    assert rules(streamed(path).errors) == {"malformed"}


def test_a_streamed_batch_in_a_foreign_namespace_is_unknown(tmp_path: Path) -> None:
    path = write(tmp_path / "batch.xml", reports(2))
    path.write_bytes(path.read_bytes().replace(b"urn:yipanqi:mfp:2", b"urn:example:other"))
    assert rules(validate_path(path).errors) == {"unknown-document"}


def test_a_report_without_its_batch_is_unknown(tmp_path: Path) -> None:
    path = tmp_path / "report.xml"
    path.write_bytes(b'<?xml version="1.0"?>\n<report xmlns="urn:yipanqi:mfp:2"/>\n')
    assert rules(validate_path(path).errors) == {"unknown-document"}


# -- whole documents -------------------------------------------------------------------------


def test_whole_document_xsd_errors_carry_lines() -> None:
    path = DOCUMENTS / "invalid" / "schema.xml"
    result = validate_path(path)
    [error] = result.errors
    assert error.rule == "schema"
    assert error.line == line_after(path, "<inflowDate>", 0, "<inflowDate>")
    assert "residenceAddress" in error.message_en


def test_a_large_single_report_is_still_validated_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only batches stream; other documents are read whole up to MAX_DOCUMENT_BYTES."""
    monkeypatch.setattr(_xml, "WHOLE_DOCUMENT_LIMIT", 0)
    result = validate_path(DOCUMENTS / "invalid" / "id.sex.xml")
    assert [(i.rule, i.line) for i in result.errors] == [("id.sex", 18)]


def test_a_document_above_the_size_cap_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_xml, "WHOLE_DOCUMENT_LIMIT", 0)
    monkeypatch.setattr(_xml, "MAX_DOCUMENT_BYTES", 100)
    result = validate_path(DOCUMENTS / "valid" / "v2" / "change-report.xml")
    assert rules(result.errors) == {"malformed"}
    assert "larger than" in result.errors[0].message_en
