"""The public API of schema.validation: validate_path, is_valid, iter_errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures.generate import HERE as DOCUMENTS
from schema.validation import (
    ValidationOptions,
    is_valid,
    iter_errors,
    validate_path,
)

VALID = DOCUMENTS / "valid" / "v2" / "change-report.xml"
INVALID = DOCUMENTS / "invalid" / "id.sex.json"
WARNED = DOCUMENTS / "invalid" / "marriage.age.xml"


def test_is_valid() -> None:
    assert is_valid(VALID)
    assert not is_valid(INVALID)
    assert is_valid(WARNED)
    assert not is_valid(WARNED, ValidationOptions(strict=True))


def test_iter_errors_yields_located_errors() -> None:
    [error] = list(iter_errors(INVALID))
    assert (error.rule, error.path) == ("id.sex", "record.idNumber")
    assert error.line is not None
    assert list(iter_errors(VALID)) == []
    assert list(iter_errors(WARNED)) == []


def test_accepts_str_and_pathlike() -> None:
    assert validate_path(str(VALID)).file == str(VALID)
    assert validate_path(VALID).file == str(VALID)


@pytest.mark.parametrize("name", ["missing.xml", "."])
def test_unreadable(tmp_path: Path, name: str) -> None:
    result = validate_path(tmp_path / name)
    [error] = result.errors
    assert error.rule == "unreadable"
    assert result.format is None


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_json_in_utf16_or_utf32_is_named_at_line_1(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "report.json"
    text = (DOCUMENTS / "valid" / "v2" / "change-report.json").read_text(encoding="utf-8")
    path.write_bytes(text.encode(encoding))
    result = validate_path(path)
    [error] = result.errors
    assert (result.format, error.rule, error.line) == ("json", "malformed", 1)
    assert "must be UTF-8" in error.message_en and "UTF-" in error.message_en


@pytest.mark.parametrize(("encoding", "valid"), [
    ("utf-16-le", True), ("utf-16-be", True), ("utf-32", False), ("utf-32-be", False)])
def test_xml_without_a_mark_in_utf16_is_read_and_utf32_is_named(tmp_path: Path, encoding: str,
                                                                 valid: bool) -> None:
    path = tmp_path / "record.xml"
    text = (DOCUMENTS / "valid" / "v2" / "person-record.xml").read_text(encoding="utf-8")
    path.write_bytes(text.replace("encoding='UTF-8'", "").encode(encoding))
    result = validate_path(path)
    assert result.valid is valid and result.format == "xml"
    if not valid:
        [error] = result.errors
        assert (error.rule, error.line) == ("malformed", 1) and "UTF-32" in error.message_en


def test_neither_xml_nor_json(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("王秀英 2010-03-15 流入", encoding="utf-8")
    [error] = validate_path(path).errors
    assert (error.rule, error.line) == ("malformed", 1)


def test_a_recursion_error_is_reported_not_raised(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*_args: object) -> None:
        raise RecursionError

    monkeypatch.setattr("schema.validation.validate_json", explode)
    [error] = validate_path(DOCUMENTS / "valid" / "v2" / "person-record.json").errors
    assert error.rule == "malformed"
    assert "RecursionError" in error.message_en


@pytest.mark.parametrize("path", sorted((DOCUMENTS / "hostile").iterdir()),
                         ids=lambda p: p.name)
def test_hostile_files_never_raise(path: Path) -> None:
    result = validate_path(path)
    if path.name != "utf-16.xml":  # accepted; see tests/gateway/cli/test_validate.py
        assert not result.valid
        assert {i.rule for i in result.errors} <= {"malformed", "unknown-document"}
