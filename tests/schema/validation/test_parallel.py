"""Parallel validation of large batches gives what one sequential pass gives.

``PARALLEL_MIN_BYTES`` is patched down and the worker count up, so that small batches are
cut into slices validated in other processes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from fixtures.generate import HERE as DOCUMENTS
from schema.validation import FileResult, ValidationOptions, _parallel, _xml, validate_path
from tests.schema.validation._batches import (
    found,
    reports,
    rules,
    too_long_remarks,
    write,
    wrong_checksum,
    wrong_sex,
)

BROKEN = {0: wrong_sex, 13: wrong_checksum, 29: wrong_sex, 30: wrong_sex, 59: wrong_checksum}


@pytest.fixture
def both(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], tuple[FileResult, FileResult]]:
    """Validate a file sequentially (streamed) and in parallel; assert the parallel path ran."""
    taken: list[bool] = []
    original = _parallel.validate_parallel

    def spy(*args: Any, **kwargs: Any) -> bool:
        done = original(*args, **kwargs)
        taken.append(done)
        return done

    monkeypatch.setattr("schema.validation.validate_parallel", spy)
    monkeypatch.setattr(_parallel, "worker_count", lambda: 4)
    monkeypatch.setattr(_xml, "WHOLE_DOCUMENT_LIMIT", 0)

    def run(path: Path, options: ValidationOptions | None = None,
            parallel: bool = True) -> tuple[FileResult, FileResult]:
        etree.clear_error_log()  # see test_xml.py: test_a_stale_parser_error_does_not_hide...
        with monkeypatch.context() as patch:
            patch.setattr(_parallel, "PARALLEL_MIN_BYTES", 1 << 40)
            sequential = validate_path(path, options)
        with monkeypatch.context() as patch:
            patch.setattr(_parallel, "PARALLEL_MIN_BYTES", 0)
            sliced = validate_path(path, options)
        assert taken[-1] is parallel
        return sequential, sliced

    return run


@pytest.mark.parametrize("ext", ["xml", "json"])
def test_parallel_equals_sequential(both: Any, tmp_path: Path, ext: str) -> None:
    sequential, sliced = both(write(tmp_path / f"batch.{ext}", reports(60, BROKEN),
                                    report_count=61))
    assert found(sliced) == found(sequential)
    assert {f[1] for f in found(sliced)} >= {f"reports[{n}].record.idNumber" for n in BROKEN}
    assert (sliced.valid, sliced.documents) == (False, 60)
    assert (sliced.document_type, sliced.schema_version) == ("ChangeReportBatch", "2")


@pytest.mark.parametrize("ext", ["xml", "json"])
def test_parallel_clean_batch(both: Any, tmp_path: Path, ext: str) -> None:
    sequential, sliced = both(write(tmp_path / f"batch.{ext}", reports(40)))
    assert sliced.valid and not sliced.warnings and sliced.documents == 40
    assert found(sequential) == []


@pytest.mark.parametrize("ext", ["xml", "json"])
def test_parallel_strict(both: Any, tmp_path: Path, ext: str) -> None:
    path = write(tmp_path / f"batch.{ext}", reports(30, {25: wrong_checksum}))
    sequential, sliced = both(path, ValidationOptions(strict=True))
    assert [(i.rule, i.path) for i in sliced.errors] == [
        ("id.checksum", "reports[25].record.idNumber")]
    assert found(sliced) == found(sequential)


@pytest.mark.parametrize("ext", ["xml", "json"])
def test_parallel_cap_keeps_the_same_total(both: Any, tmp_path: Path, ext: str,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("schema.validation._result.MAX_ISSUES", 4)
    path = write(tmp_path / f"batch.{ext}", reports(40, dict.fromkeys(range(0, 40, 3),
                                                                       wrong_sex)))
    sequential, sliced = both(path)
    assert len(sliced.errors) == 4
    assert len(sliced.errors) + sliced.dropped == len(sequential.errors) + sequential.dropped
    assert found(sliced) == found(sequential)


def test_an_xsd_error_falls_back_to_the_sequential_pass(both: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "batch.xml", reports(40, {33: too_long_remarks}))
    sequential, sliced = both(path, parallel=False)
    assert found(sliced) == found(sequential)
    [error] = sliced.errors
    assert error.rule == "schema" and error.path.startswith("reports[33]")


def test_a_json_schema_error_in_a_slice(both: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "batch.json", reports(40, {33: too_long_remarks}))
    sequential, sliced = both(path)
    assert found(sliced) == found(sequential) == [("schema", "reports[33].remarks", 35)]


def test_a_truncated_json_batch_is_not_sliced(both: Any, tmp_path: Path) -> None:
    path = write(tmp_path / "batch.json", reports(40))
    data = path.read_bytes()
    path.write_bytes(data[:len(data) - 2000])
    sequential, sliced = both(path, parallel=False)
    assert rules(sliced.errors) == rules(sequential.errors) == {"malformed"}


@pytest.mark.parametrize("cut", [
    pytest.param(lambda data: data.removesuffix(b"</ChangeReportBatch>\n"), id="closing-tag"),
    pytest.param(lambda data: data[:len(data) - 3000], id="in-a-report"),
])
def test_a_truncated_xml_batch_is_malformed_in_parallel(both: Any, tmp_path: Path,
                                                        cut: Callable[[bytes], bytes]) -> None:
    """The slice that ends early is malformed, so the file is validated sequentially."""
    path = write(tmp_path / "batch.xml", reports(40))
    path.write_bytes(cut(path.read_bytes()))
    sequential, sliced = both(path, parallel=False)
    assert rules(sliced.errors) == rules(sequential.errors) == {"malformed"}


def test_a_small_or_single_core_run_is_not_sliced(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = str(write(tmp_path / "batch.xml", reports(10)))
    result = FileResult(path)
    assert not _parallel.validate_parallel(path, "xml", ValidationOptions(), result, None)
    monkeypatch.setattr(_parallel, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(_parallel, "worker_count", lambda: 1)
    assert not _parallel.validate_parallel(path, "xml", ValidationOptions(), result, None)
    assert result.errors == [] and result.documents == 0


def test_a_single_document_is_not_sliced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_parallel, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(_parallel, "worker_count", lambda: 4)
    path = str(DOCUMENTS / "valid" / "v2" / "change-report.xml")
    assert _parallel.plan_xml_slices(path, 4) is None
    assert validate_path(path).valid


def test_slices_start_at_report_boundaries(tmp_path: Path) -> None:
    path = write(tmp_path / "batch.xml", reports(20))
    planned = _parallel.plan_xml_slices(str(path), 3)
    assert planned is not None
    sources, doc_type = planned
    data = path.read_bytes()
    assert doc_type.name == "ChangeReportBatch" and len(sources) == 3
    assert [data[s.start:s.start + 8] for s in sources[1:]] == [b"<report>"] * 2
    assert sources[0].first and not any(s.first for s in sources[1:])


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_batch_is_validated_in_order(both: Any, tmp_path: Path, encoding: str) -> None:
    """Its slices could not be cut on ASCII bytes: the sequential pass reads it whole."""
    path = write(tmp_path / "batch.xml", reports(30, {25: wrong_checksum}))
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.replace("encoding='UTF-8'", "").replace('encoding="UTF-8"', "")
                     .encode(encoding))
    sequential, sliced = both(path, parallel=False)
    assert found(sliced) == found(sequential) != []
    assert sliced.documents == 30 and sliced.valid
