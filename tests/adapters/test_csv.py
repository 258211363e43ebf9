"""CSV exports: encodings, header search, blank and broken lines, rejects, flat memory."""

from __future__ import annotations

import codecs
import csv
import io
import tracemalloc

import pytest

import adapters._csv
from adapters import ExportImport, get_adapter
from adapters._csv import REASON_COLUMN, CsvExport, CsvLayout
from adapters._protocol import Row, RowError
from adapters.errors import ExportUnreadable
from fixtures.departments.samples import HERE as SAMPLES
from fixtures.departments.synthetic import write_export
from tests.adapters._support import run

LAYOUT = CsvLayout(required=("姓名", "日期"), optional=("备注",))
GB = "gb18030"


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


def test_spaces_inside_header_names_full_width_ones_too_are_no_part_of_them() -> None:
    text = "姓　名, 日 期 ,备注\r\n王秀英,2010-04-07,\r\n"
    (row,) = read(text.encode("gb18030"))
    assert isinstance(row, Row) and row.values["姓名"] == "王秀英"


def test_a_header_lacking_a_column_is_told_at_the_line_most_like_it() -> None:
    """A title line stands first: the error names the line that holds the other columns."""
    text = "郑州市暂住人口登记表\r\n\r\n姓名,登记日期,备注\r\n王秀英,2010-04-07,\r\n"
    with pytest.raises(ExportUnreadable) as caught:
        read(text.encode("gb18030"))
    assert (caught.value.rule, caught.value.row, caught.value.column) == (
        "file.header", 3, "日期")


def test_a_row_wider_than_the_header_with_text_past_it_is_refused() -> None:
    """An unquoted comma in a value moves every value after it one column on: the row is
    refused, not read with its values in the wrong columns. Empty fields past the header's
    are trailing commas, and read."""
    data = ("姓名,日期,备注\r\n王,2010-04-07,建设路,7号\r\n李,2010-04-08,b,,\r\n"
            ).encode("gb18030")
    wide, row = read(data)
    assert isinstance(wide, RowError) and (wide.row, wide.rule) == (2, "row.columns")
    assert wide.message_en == ("the row has 4 fields, more than the header's 3 (a comma in a "
                               "value, unquoted?)")
    assert isinstance(row, Row) and row.values["备注"] == "b"


def test_full_width_comma_stays_text() -> None:
    (row,) = read("姓名,日期\r\n\"王，秀英\",２０１０．４．７\r\n".encode("gb18030"))
    assert isinstance(row, Row) and dict(row.values) == {"姓名": "王，秀英", "日期": "2010.4.7"}


def test_an_undecodable_line_is_row_encoding_and_the_rest_goes_on() -> None:
    data = ("姓名,日期\r\n".encode() + b"\xff\xfe\x00,2010\r\n" + "李,2010\r\n".encode())
    first, second = read(codecs.BOM_UTF8 + data)
    assert isinstance(first, RowError)
    assert (first.row, first.column, first.rule) == (2, "姓名", "row.encoding")
    assert isinstance(second, Row) and second.number == 3


def test_a_row_holding_a_replacement_character_is_row_encoding() -> None:
    """U+FFFD in a line that decodes: an earlier conversion lost its characters. So is the
    rejects file of an undecodable row (its bytes are read leniently): loaded again
    uncorrected, it is refused again, not taken with the lost characters."""
    for data in (codecs.BOM_UTF8 + "姓名,日期,备注\r\n王\ufffd,2010,x\r\n".encode(),
                 "姓名,日期,备注\r\n李,2010,\ufffd\r\n".encode("gb18030")):
        (error,) = read(data)
        assert isinstance(error, RowError) and (error.row, error.rule) == (2, "row.encoding")
        assert error.column == ("姓名" if data.startswith(codecs.BOM_UTF8) else "备注")
        assert "replacement character" in error.message_en
    data = "姓名,日期,备注\r\n".encode("gb18030") + b"\xcd\xf5\xff,2010,x\r\n"
    export = CsvExport(io.BytesIO(data), "f.csv", LAYOUT)
    (error,) = list(export.rows())
    assert isinstance(error, RowError) and error.rule == "row.encoding"
    out = io.BytesIO()
    writer = export.rejects(out)
    writer.write(error.raw, "第2行 row.encoding")
    writer.close()
    (again,) = read(out.getvalue())
    assert isinstance(again, RowError) and (again.row, again.rule) == (2, "row.encoding")


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


#: 龴 as GB18030-2022 writes it (FE59): Python's codec alone reads U+E81E, a private-use
#: code point; and 龴 as GB18030-2005 wrote it (four bytes).
DRAGON_2022, DRAGON_2005 = b"\xfe\x59", "龴".encode("gb18030")


@pytest.mark.parametrize("cut", [False, True], ids=["by-block", "line-by-line"])
def test_gb18030_is_read_as_the_2022_edition_and_rejects_are_written_so(cut: bool) -> None:
    """Either edition's bytes give 龴; the rejects file gives it the bytes of 2022. A bad
    byte elsewhere in the block makes the reader decode line by line."""
    data = ("姓名,日期,备注\r\n".encode(GB) + b"\xcd\xf5" + DRAGON_2022 + b",2010-04-07,\r\n"
            + b"\xc0\xee" + DRAGON_2005 + b",2010-04-08,\r\n"
            + b"\xd5\xc5" + DRAGON_2022 + b",20100,\r\n"
            + (b"\xff,2010-04-09,\r\n" if cut else b""))
    export = CsvExport(io.BytesIO(data), "f.csv", LAYOUT)
    items = list(export.rows())
    assert [i.values["姓名"] for i in items if isinstance(i, Row)] == ["王龴", "李龴", "张龴"]
    out = io.BytesIO()
    writer = export.rejects(out)
    writer.write(["张龴", "20100", ""], "第4行 x")
    writer.close()
    assert b"\xd5\xc5" + DRAGON_2022 + b",20100" in out.getvalue()


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


def test_a_line_too_long_is_one_refused_row_and_the_rows_after_keep_their_numbers(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Cut at the limit (16 MiB; 8 KiB here), the rest of the line is skipped: it stays
    one line, refused once, and the rows after it are numbered as the clerk sees them."""
    monkeypatch.setattr(adapters._csv, "_BLOCK", 4096)
    monkeypatch.setattr(adapters._csv, "_LONGEST_LINE", 8192)
    data = ("姓名,日期,备注\r\n王,2010-04-07,a\r\n" + "李" * 10_000 + ",2010-04-08,b\r\n"
            "张,2010-04-09,c\r\n").encode("gb18030")
    items = read(data)
    assert [(i.number, i.values["备注"]) for i in items if isinstance(i, Row)] == [
        (2, "a"), (4, "c")]
    assert [(i.row, i.rule) for i in items if isinstance(i, RowError)] == [
        (3, "row.columns")]


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


# --- unmatched quotes, CR line ends, UTF-16 ------------------------------------------------


def test_an_unmatched_quote_refuses_its_line_alone_and_the_rows_after_it_are_read() -> None:
    """A field opening a quote that never closes used to take the lines after it into
    itself: now its line alone is refused, the quote kept for the clerk to see, and the
    lines after it are rows of their own with their own numbers."""
    for column, line in (("日期", '王,"2010-04-07,a'), ("备注", '王,2010-04-07,"a')):
        data = ("姓名,日期,备注\r\n" + line + "\r\n李,2010-04-08,b\r\n\r\n张,2010-04-09,\"c,d\"\r\n"
                ).encode("gb18030")
        items, rejects = _rejected(data)
        error, *rows = items
        assert isinstance(error, RowError)
        assert (error.row, error.column, error.rule) == (2, column, "row.columns")
        assert "unmatched quote" in error.message_en and "引号不成对" in error.message_zh
        assert [(r.number, r.values["备注"]) for r in rows if isinstance(r, Row)] == [
            (3, "b"), (5, "c,d")]
        assert len(rows) == 2
        # The rejects file holds the line alone, its quote as text: once the clerk
        # removes it, the file loads.
        assert rejects[1] == [*line.split(","), "row.columns"]
        fixed = io.BytesIO()
        csv.writer(fixed_text := io.TextIOWrapper(fixed, "gb18030", newline="")).writerows(
            [row[:1] + [field.lstrip('"') for field in row[1:]] for row in rejects])
        fixed_text.flush()
        (row,) = read(fixed.getvalue())
        assert isinstance(row, Row) and row.number == 2 and row.values["姓名"] == "王"


def test_an_unmatched_quote_on_the_last_line_is_told_as_such() -> None:
    for end in ("\r\n", ""):
        (error,) = read(('姓名,日期,备注\r\n王,"2010-04-07,a' + end).encode("gb18030"))
        assert isinstance(error, RowError) and (error.row, error.column) == (2, "日期")
        assert "unmatched quote" in error.message_en
        assert error.raw == ["王", '"2010-04-07', "a"]


def test_quoted_fields_over_several_lines_are_still_one_record() -> None:
    """As Excel and WPS write a cell holding line breaks (LF inside, CRLF between rows):
    a record of the header's width, whose lines inside hold no whole record."""
    data = ('姓名,日期,备注\r\n王,2010-04-07,"建设路1号\n3单元\n（后院）"\r\n'
            '"李\r\n建国",2010-04-08,"a, b"\r\n张,2010-04-09,c\r\n').encode("gb18030")
    rows = read(data)
    assert [(r.number, r.values["姓名"], r.values["备注"]) for r in rows if isinstance(r, Row)] \
        == [(2, "王", "建设路1号\n3单元\n(后院)"), (5, "李\r\n建国", "a, b"),
            (7, "张", "c")]
    assert len(rows) == 3


def test_a_cell_over_several_lines_in_a_row_with_trailing_commas_is_one_record() -> None:
    """Spreadsheets end rows with empty columns past the header's: a row so ended whose
    cell holds a line break is still one record. With text past the header's, the quote
    is taken as unmatched: its line is refused, and the next read as a row of its own."""
    data = ('姓名,日期,备注\r\n王,2010-04-07,"建设路1号\n3单元",,\r\n'
            '李,2010-04-08,"a\nb",x\r\n张,2010-04-09,c\r\n').encode("gb18030")
    assert [(r.row, r.rule) if isinstance(r, RowError) else (r.number, r.values["备注"])
            for r in read(data)] == [(2, "建设路1号\n3单元"), (4, "row.columns"),
                                     (5, "row.columns"), (6, "c")]


def test_a_stray_quote_does_not_take_the_next_row_that_quotes_a_field() -> None:
    """The quote opens a field before the last of a line that, quote taken as text, holds
    every column: a record by itself. csv would run it on to the next row's own quote,
    making one record of the header's width; the line is refused alone instead, and the
    next row is read with its quoted field."""
    data = ('姓名,日期,备注\r\n王,"2010-04-07,a\r\n李,"2010-04-08",建设路7号\r\n'
            '张,2010-04-09,c\r\n').encode("gb18030")
    assert [(r.row, r.column, r.rule) if isinstance(r, RowError)
            else (r.number, r.values["日期"]) for r in read(data)] == [
        (2, "日期", "row.columns"), (3, "2010-04-08"), (4, "2010-04-09")]


def test_a_header_ending_in_empty_columns_takes_a_cell_over_several_lines() -> None:
    """A header that a spreadsheet ended with empty columns; rows that do not repeat them:
    a quoted cell holding a line break is one record, as in any other file."""
    data = ('姓名,日期,备注,,,\r\n王,2010-04-07,"建设路1号\n3单元"\r\n'
            '李,2010-04-08,b\r\n').encode("gb18030")
    assert [(r.row, r.rule) if isinstance(r, RowError) else (r.number, r.values["备注"])
            for r in read(data)] == [(2, "建设路1号\n3单元"), (4, "b")]


def test_an_unmatched_quote_in_the_police_export() -> None:
    """The sample GA export (GB18030, a title line) with an address typed as
    ``"郑州市中原区伏牛路99号``: that row alone is refused, every other row reads as before."""
    sample = (SAMPLES / "ga" / "暂住人口登记信息.csv").read_bytes()
    address = "郑州市中原区伏牛路99号".encode(GB)
    broken = sample.replace(b"," + address + b",", b',"' + address + b",")
    assert broken != sample
    before, after = run("ga", sample), run("ga", broken)
    assert after.rules() == sorted([*before.rules(), (7, "暂住地详址", "row.columns")],
                                   key=lambda rule: rule[0] or 0)
    rows = [notice.source.row for notice in after.notices]
    assert rows == [notice.source.row for notice in before.notices if notice.source.row != 7]
    assert len(rows) == len(before.notices) - 1


def test_a_quote_running_past_two_blocks_loses_no_row() -> None:
    """An unmatched quote with some 900 KiB of rows after it (three 256 KiB blocks and
    more than csv's field limit) before another stray quote closes it: only its line is
    refused; every row after it is read, the one with the closing quote too."""
    good = "".join(f"李{i},2010-04-08,备注{i}\r\n" for i in range(40_000))
    data = ('姓名,日期,备注\r\n王,"2010-04-07,a\r\n' + good + '张,"2010-04-09,x\r\n' + good
            + '赵,2010-04-10,"y"\r\n').encode("gb18030")
    items = read(data)
    errors = [(i.row, i.column) for i in items if isinstance(i, RowError)]
    assert errors == [(2, "日期"), (40_003, "日期")]
    numbers = [i.number for i in items if isinstance(i, Row)]
    assert numbers == [*range(3, 40_003), *range(40_004, 80_005)]


def test_cr_line_ends_are_read_as_lines() -> None:
    """Excel for Mac's "CSV (Macintosh)": CR only. Rows are numbered as the clerk sees
    them; a lone CR in a field of an LF file stays data (see above)."""
    data = "标题,,\r姓名,日期,备注\r王秀英,2010-04-07,a\r\r李,2010\r张,2010-04-09,\"x\ry\"\r"
    items, rejects = _rejected(data.encode("gb18030"))
    assert [(i.number, i.values["备注"]) for i in items if isinstance(i, Row)] == [
        (3, "a"), (6, "x\ny")]
    assert [(i.row, i.column, i.rule) for i in items if isinstance(i, RowError)] == [
        (5, "备注", "row.columns")]
    assert rejects[1] == ["李", "2010", "", "row.columns"]
    with_bom = codecs.BOM_UTF8 + "姓名,日期\r王秀英,2010-04-07".encode()
    (row,) = read(with_bom)
    assert isinstance(row, Row) and row.number == 2


def test_cr_line_ends_with_a_cell_holding_an_lf_are_still_read_as_lines() -> None:
    """Excel for Mac writes a line break inside a cell (Alt+Enter) as LF: the file holds
    some LFs, yet its lines end in CR."""
    data = '姓名,日期,备注\r王秀英,2010-04-07,"建设路1号\n3单元"\r李,2010-04-08,b\r'
    rows = read(data.encode("gb18030"))
    assert [(r.number, r.values["备注"]) for r in rows if isinstance(r, Row)] == [
        (2, "建设路1号\n3单元"), (4, "b")]
    assert len(rows) == 2


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_a_utf16_file_fails_at_its_header_for_its_encoding(encoding: str) -> None:
    data = "姓名,日期,备注\r\n王秀英,2010-04-07,a\r\n".encode(encoding)
    with pytest.raises(ExportUnreadable) as caught:
        read(data)
    assert (caught.value.rule, caught.value.row) == ("file.header", 1)
    assert "GB18030" in caught.value.message_zh and "UTF-8" in caught.value.message_en
    assert "UTF-16" in caught.value.message_en
