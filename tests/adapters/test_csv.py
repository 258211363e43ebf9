"""CSV exports: encodings, header search, blank and broken lines, rejects, flat memory."""

from __future__ import annotations

import codecs
import csv
import io
import tracemalloc

import pytest

from adapters import ExportImport, get_adapter
from adapters._csv import REASON_COLUMN, CsvExport, CsvLayout
from adapters._protocol import Row, RowError
from adapters.errors import ExportUnreadable
from fixtures.departments.synthetic import write_export

LAYOUT = CsvLayout(required=("姓名", "日期"), optional=("备注",))


def read(data: bytes) -> list[Row | RowError]:
    return list(CsvExport(io.BytesIO(data), "f.csv", LAYOUT).rows())


def test_utf8_with_bom_and_gb18030_read_alike() -> None:
    text = "姓名,日期,备注\r\n王秀英,2010-04-07,　全角空格 \r\n"
    for data in (codecs.BOM_UTF8 + text.encode(), text.encode("gb18030")):
        (row,) = read(data)
        assert isinstance(row, Row)
        assert (row.number, dict(row.values)) == (2, {"姓名": "王秀英", "日期": "2010-04-07",
                                                      "备注": "全角空格"})


def test_title_lines_blank_lines_and_extra_columns() -> None:
    text = "郑州市暂住人口,,\r\n\r\n备注,姓名,日期,拒收原因\r\n\r\n,李建国,2010/4/7,x\r\n,,,\r\n"
    data = text.encode("gb18030")
    (row,) = read(data)
    assert isinstance(row, Row) and row.number == 5 and row.values["姓名"] == "李建国"


def test_full_width_comma_stays_text() -> None:
    (row,) = read("姓名,日期\r\n\"王，秀英\",２０１０．４．７\r\n".encode("gb18030"))
    assert isinstance(row, Row) and dict(row.values) == {"姓名": "王，秀英", "日期": "2010.4.7"}


def test_an_undecodable_line_is_row_encoding_and_the_rest_goes_on() -> None:
    data = ("姓名,日期\r\n".encode() + b"\xff\xfe\x00,2010\r\n" + "李,2010\r\n".encode())
    first, second = read(codecs.BOM_UTF8 + data)
    assert isinstance(first, RowError) and (first.row, first.rule) == (2, "row.encoding")
    assert isinstance(second, Row) and second.number == 3


def test_a_truncated_row_is_row_columns_at_its_first_missing_column() -> None:
    (error,) = read("备注,姓名,日期\r\nx,王秀英\r\n".encode("gb18030"))
    assert isinstance(error, RowError)
    assert (error.row, error.column, error.rule) == (2, "日期", "row.columns")


def test_quoted_newlines_keep_the_row_number_of_the_row_start() -> None:
    rows = read("姓名,日期\r\n\"王\r\n秀英\",2010\r\n李,2011\r\n".encode("gb18030"))
    assert [r.number for r in rows if isinstance(r, Row)] == [2, 4]


def test_rejects_keep_the_header_and_encoding_and_add_a_reason() -> None:
    data = "姓名,日期,备注\r\n王秀英,2010-04-07\r\n".encode("gb18030")
    export = CsvExport(io.BytesIO(data), "f.csv", LAYOUT)
    (error,) = list(export.rows())
    out = io.BytesIO()
    writer = export.rejects(out)
    assert isinstance(error, RowError)
    writer.write(error.raw, "第2行 row.columns：缺列")
    writer.close()
    rows = list(csv.reader(io.StringIO(out.getvalue().decode("gb18030"))))
    assert rows == [["姓名", "日期", "备注", REASON_COLUMN],
                    ["王秀英", "2010-04-07", "", "第2行 row.columns：缺列"]]


def _peak(count: int) -> int:
    data = io.BytesIO()
    write_export(data, count)
    data.seek(0)
    tracemalloc.start()
    try:
        job = ExportImport(get_adapter("ga"), data, "big.csv")
        assert sum(1 for _ in job) == count and job.summary.complete
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_flat_however_long_the_file() -> None:
    """Nothing of a row outlives it: 10,000 rows peak near 2,500, far below what holding
    the rows would take (some 2 KB a row). Bounded caches, the 256 KB read block and the
    repeat check's 16 bytes a notice are all that may differ. (The 1,000,000-row check is
    ``benchmarks/import.py``.)"""
    # The region table and other one-time loads; the bounded date caches fill with every
    # birth date of the synthetic export (14,600 of them).
    _peak(15_000)
    small, large = _peak(2_500), _peak(10_000)
    assert large < small + 16 * 2 * 10_000 + 1024 * 1024, (small, large)
    assert large < 6 * 1024 * 1024, large


def _rejected(data: bytes) -> tuple[list[Row | RowError], list[list[str]]]:
    """The rows of ``data`` and the rejects file its refused rows make, read back."""
    export = CsvExport(io.BytesIO(data), "f.csv", LAYOUT)
    items = list(export.rows())
    out = io.BytesIO()
    writer = export.rejects(out)
    for item in items:
        if isinstance(item, RowError):
            writer.write(item.raw, item.rule)
    writer.close()
    return items, list(csv.reader(io.StringIO(out.getvalue().decode("gb18030"),
                                              newline="")))


def test_a_row_csv_cannot_read_keeps_its_text_in_the_rejects_file() -> None:
    """A lone CR in an unquoted field: the row is refused, its fields still reach the
    rejects file (not an empty row), the rows after it are read, and the file is not
    also called header-only."""
    data = "姓名,日期,备注\r\n王秀英,2010-04-07,a\rb\r\n李建国,2010-04-08,\r\n".encode("gb18030")
    items, rejects = _rejected(data)
    error, row = items
    assert isinstance(error, RowError) and (error.row, error.rule) == (2, "row.columns")
    assert "CR" in error.message_en
    assert isinstance(row, Row) and row.number == 3
    assert rejects[1] == ["王秀英", "2010-04-07", "a\rb", "row.columns"]


def test_a_file_whose_every_row_csv_refuses_is_not_header_only() -> None:
    data = "姓名,日期\r\n王秀英,2010\rx\r\n".encode("gb18030")
    items, rejects = _rejected(data)
    assert [(i.row, i.rule) for i in items if isinstance(i, RowError)] == [(2, "row.columns")]
    assert rejects[1][:2] == ["王秀英", "2010\rx"]


def test_a_field_over_the_csv_limit_keeps_its_text_in_the_rejects_file() -> None:
    """The clerk shortens the field in the rejects file (which csv cannot read either)."""
    data = ("姓名,日期,备注\r\n王秀英,2010-04-07," + "长" * 140_000 + "\r\n李,2010,\r\n"
            ).encode("gb18030")
    error, row = read(data)
    assert isinstance(error, RowError) and (error.row, error.rule) == (2, "row.columns")
    assert error.raw == ["王秀英", "2010-04-07", "长" * 140_000]
    assert isinstance(row, Row) and row.number == 3


def test_a_column_named_twice_in_the_header_is_file_header() -> None:
    """Which of the two holds the values cannot be told: refused, not guessed."""
    data = "姓名,日期,姓名\r\n王秀英,2010-04-07,李建国\r\n".encode("gb18030")
    export = CsvExport(io.BytesIO(data), "f.csv", LAYOUT)
    with pytest.raises(ExportUnreadable) as caught:
        list(export.rows())
    assert (caught.value.rule, caught.value.row, caught.value.column) == \
        ("file.header", 1, "姓名")
