"""The runner: content-derived ids, repeats, refused rows with every finding, stable reloads."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from typing import Any, BinaryIO, cast

import pytest

from adapters import (
    EncodedImport,
    ExportImport,
    NoticeDraft,
    Row,
    RowError,
    get_adapter,
    notice_id,
)
from adapters.fg import RentalRegistrationAdapter
from tests.adapters._support import csv_bytes, failing_after, run

HEADER = "备案编号,承租人姓名,承租人证件号码,房屋坐落,房屋所在区划,租赁起始日期,备案机关代码"
GOOD = "A1,王秀英,411622198503124529,郑州市中原区建设西路187号,410102,2010-03-10,410102"


def test_ids_come_from_content_not_from_file_row_or_spelling() -> None:
    first = run("fg", csv_bytes(HEADER, GOOD), "a.csv").notices[0]
    respelt = "B9, 王秀英 ,411622198503124529,郑州市中原区建设西路187号,410102,2010年3月10日,410102"
    second = run("fg", csv_bytes(HEADER, "", respelt, bom=False), "b.csv").notices[0]
    assert first.notice_id == second.notice_id == notice_id(first)
    assert first.notice_id.startswith("FG-") and len(first.notice_id) == 35
    assert (second.source.file, second.source.row, second.source.record_number) == (
        "b.csv", 3, "B9")


def test_loading_the_same_file_twice_gives_the_same_notices() -> None:
    data = csv_bytes(HEADER, GOOD, GOOD.replace("2010-03-10", "2010-03-11"))
    assert run("fg", data).notices == run("fg", data).notices


def test_a_repeated_row_is_skipped_with_a_warning() -> None:
    outcome = run("fg", csv_bytes(HEADER, GOOD, GOOD, GOOD.replace("A1", "A2")))
    assert len(outcome.notices) == 1
    assert [(w.row, w.rule) for w in outcome.warnings] == [(3, "row.duplicate"),
                                                           (4, "row.duplicate")]
    assert outcome.summary.complete and outcome.summary.duplicates == 2


def test_a_row_breaking_several_rules_is_refused_once_listing_them_all() -> None:
    bad = "A3,王秀英,411622198503124529,郑州,410102,2040-01-01,990000"
    outcome = run("fg", csv_bytes(HEADER, bad, GOOD))
    (error,) = outcome.errors
    assert (error.row, error.rule) == (2, "dates.future")
    assert "region.unknown" in error.message_en and "备案机关代码" in error.message_en
    assert outcome.summary.refused_by_rule == {"dates.future": 1, "region.unknown": 1}
    assert len(outcome.notices) == 1 and not outcome.summary.complete


def test_a_bad_row_never_costs_a_good_one() -> None:
    rows = [GOOD.replace("A1", f"A{i}").replace("187号", f"{i}号") for i in range(20)]
    rows[5] = "A5,王秀英,4.11622E+17,郑州,410102,2010-03-10,410102"
    rows[11] = "A11,王秀英"
    outcome = run("fg", csv_bytes(HEADER, *rows))
    assert len(outcome.notices) == 18
    assert outcome.rules() == [(7, "承租人证件号码", "row.id-scientific"),
                               (13, "承租人证件号码", "row.columns")]


def test_progress_reports_bytes_read_up_to_the_end() -> None:
    data = csv_bytes(HEADER, GOOD)
    seen: list[int] = []
    job = ExportImport(get_adapter("fg"), io.BytesIO(data), "x", progress=seen.append)
    assert sum(1 for _ in job) == 1
    assert seen and seen[-1] == len(data)


def test_an_id_number_a_spreadsheet_cut_to_15_digits_is_taken_with_a_remark() -> None:
    """Stored as a number, 411622198503124529 became 411622198503124000: its check character
    happens to hold, so only the remark says the digits may be gone; one whose check fails
    has that warning too."""
    cut = GOOD.replace("411622198503124529", "411622198503124000")
    failing = GOOD.replace("A1", "A2").replace("411622198503124529", "411623199007121000")
    outcome = run("fg", csv_bytes(HEADER, cut, failing))
    assert len(outcome.notices) == 2 and outcome.summary.complete
    assert sorted((w.row, w.rule, w.column) for w in outcome.warnings) == [
        (2, "row.id-zero-filled", "承租人证件号码"), (3, "id.checksum", "承租人证件号码"),
        (3, "row.id-zero-filled", "承租人证件号码")]
    assert "ends in 000" in outcome.warnings[0].message_en
    assert not run("fg", csv_bytes(HEADER, GOOD)).warnings


def test_a_record_number_in_scientific_notation_is_left_out_with_a_remark() -> None:
    """The digits of 4.10103E+14 are gone: it names no record, but the row still holds."""
    lost = GOOD.replace("A1", "4.10103E+14")
    code = GOOD.replace("A1", "2E10").replace("2010-03-10", "2010-03-11")
    outcome = run("fg", csv_bytes(HEADER, lost, code))
    assert outcome.summary.complete and len(outcome.notices) == 2
    assert [n.source.record_number for n in outcome.notices] == [None, "2E10"]
    assert [(w.row, w.rule, w.column) for w in outcome.warnings] == [
        (2, "row.record-number-scientific", "备案编号")]
    assert "4.10103E+14" in outcome.warnings[0].message_en


class _Faulty(RentalRegistrationAdapter):
    """The housing adapter with a fault of the kind a third-party adapter may have."""

    name = "faulty"

    def __init__(self, fault: str) -> None:
        self.fault = fault

    def open(self, stream: BinaryIO, file: str) -> Any:
        if self.fault == "open":
            raise RuntimeError("cannot open")
        reader = super().open(stream, file)
        if self.fault != "reader":
            return reader
        return failing_after(reader, 2, KeyError("column"))

    def notices(self, row: Row) -> Sequence[NoticeDraft]:
        if self.fault == "notices" and row.values["备案编号"] == "A2":
            raise ZeroDivisionError("division by zero")
        return super().notices(row)


def _encoded(adapter: Any, stream: BinaryIO, file: str) -> EncodedImport:
    return EncodedImport(adapter, stream, file, [])


THREE = csv_bytes(HEADER, GOOD, GOOD.replace("A1", "A2").replace("187号", "2号"),
                  GOOD.replace("A1", "A3").replace("187号", "3号"))


@pytest.mark.parametrize("kind", [ExportImport, _encoded])
def test_an_adapter_failing_on_a_row_refuses_that_row_alone(kind: Any) -> None:
    job = kind(_Faulty("notices"), io.BytesIO(THREE), "x.csv")
    items = list(job)
    (error,) = [i for i in items if isinstance(i, RowError)]
    assert (error.row, error.rule) == (3, "row.adapter-failed")
    assert "'faulty' failed on this row: ZeroDivisionError: division by zero" in \
        error.message_en
    assert (job.summary.rows, job.summary.notices, job.summary.refused) == (3, 2, 1)


@pytest.mark.parametrize("kind", [ExportImport, _encoded])
@pytest.mark.parametrize(("fault", "notices"), [("open", 0), ("reader", 2)])
def test_an_adapter_failing_to_read_ends_the_file_keeping_the_rows_before(
        kind: Any, fault: str, notices: int) -> None:
    job = kind(_Faulty(fault), io.BytesIO(THREE), "x.csv")
    items = list(job)
    (error,) = [i for i in items if isinstance(i, RowError)]
    assert error.rule == "file.adapter-failed" and "'faulty' failed reading" in error.message_en
    assert job.summary.unreadable == error and job.summary.notices == notices


def test_a_record_number_lost_is_told_once_for_a_row_of_two_notices() -> None:
    header = ("登记类别,证件编号,新生儿姓名,新生儿性别,出生日期,孩次,母亲姓名,母亲身份证号,"
              "父亲姓名,父亲身份证号,机构所在地代码")
    row = ("出生医学证明,4.10103E+14,李浩然,男,2010-03-28,1,王秀英,411622198503124529,"
           "李建国,411622198307011316,410102")
    outcome = run("ws", csv_bytes(header, row))
    assert len(outcome.notices) == 2
    assert [(w.row, w.rule) for w in outcome.warnings] == [
        (2, "row.record-number-scientific")]


class _Lazy(RentalRegistrationAdapter):
    """Gives its drafts lazily, failing on the way for one row."""

    name = "lazy"

    def notices(self, row: Row) -> Iterator[NoticeDraft]:  # type: ignore[override]
        yield from super().notices(row)
        if row.values["备案编号"] == "A2":
            raise ZeroDivisionError("late")


def test_an_adapter_failing_while_giving_drafts_refuses_that_row_alone() -> None:
    job = ExportImport(cast(Any, _Lazy()), io.BytesIO(THREE), "x.csv")
    items = list(job)
    assert [(i.row, i.rule) for i in items if isinstance(i, RowError)] == [
        (3, "row.adapter-failed")]
    assert (job.summary.rows, job.summary.notices) == (3, 2)
