"""Fixed-width exports: byte widths, GB18030, truncation, cut characters, rejects."""

from __future__ import annotations

import io

import pytest

from adapters._fixed import FixedLayout, FixedWidthExport
from adapters._protocol import Row, RowError
from adapters.errors import ExportUnreadable
from tests.adapters._support import Unseekable

LAYOUT = FixedLayout((("号码", 4), ("姓名", 6), ("日期", 8)))


def record(number: str, name: str, day: str) -> bytes:
    return (number.encode().ljust(4) + name.encode("gb18030").ljust(6)
            + day.encode().ljust(8))


def read(data: bytes) -> list[Row | RowError]:
    return list(FixedWidthExport(io.BytesIO(data), "f.txt", LAYOUT).rows())


def test_fields_are_byte_runs_of_gb18030() -> None:
    rows = read(record("0001", "王秀英", "20100407") + b"\r\n\r\n"
                + record("0002", "李", "20100408") + b"\n")
    assert [(r.number, dict(r.values)) for r in rows if isinstance(r, Row)] == [
        (1, {"号码": "0001", "姓名": "王秀英", "日期": "20100407"}),
        (3, {"号码": "0002", "姓名": "李", "日期": "20100408"})]


def test_gb18030_is_read_as_the_2022_edition() -> None:
    """FE59 is 龴 in GB18030-2022 (Python's codec alone reads U+E81E); the four bytes of
    GB18030-2005 give 龴 too."""
    new = b"0001" + b"\xcd\xf5\xfe\x59  " + b"20100407\n"
    old = b"0002" + b"\xc0\xee" + "龴".encode("gb18030") + b"20100407\n"
    rows = read(new + old)
    assert [r.values["姓名"] for r in rows if isinstance(r, Row)] == ["王龴", "李龴"]


def test_a_short_record_is_row_columns_at_the_field_it_stops_in() -> None:
    (error,) = read(record("0001", "王秀英", "20100407")[:12] + b"\r\n")
    assert isinstance(error, RowError)
    assert (error.row, error.column, error.rule) == (1, "日期", "row.columns")


def test_a_character_cut_in_half_is_row_encoding() -> None:
    cut = b"0001" + "王秀".encode("gb18030") + b"\xcd" + b" " + b"20100407"
    (error,) = read(cut + b"\n")
    assert isinstance(error, RowError) and (error.column, error.rule) == ("姓名", "row.encoding")


def test_rejects_pad_and_append_a_reason_the_reader_ignores() -> None:
    export = FixedWidthExport(io.BytesIO(b"0001\n"), "f.txt", LAYOUT)
    (error,) = list(export.rows())
    out = io.BytesIO()
    writer = export.rejects(out)
    writer.write(error.raw, "第1行 row.columns")
    writer.close()
    assert out.getvalue() == b"0001" + b" " * 14 + "|第1行 row.columns\r\n".encode("gb18030")
    fixed = record("0001", "王", "20100407") + "|第1行 row.columns\r\n".encode("gb18030")
    (row,) = read(fixed)
    assert isinstance(row, Row) and row.values["日期"] == "20100407"


def test_a_corrected_record_of_the_wrong_length_is_told_by_its_own_length() -> None:
    """The clerk cut a byte too many from a rejects record: it is told as 17 bytes, the
    reason after it set aside as when the record is right."""
    short = record("0001", "王", "20100407")[:-1] + "|第1行 row.columns\r\n".encode("gb18030")
    (error,) = read(short)
    assert isinstance(error, RowError) and error.rule == "row.columns"
    assert error.message_en == "the record is 17 bytes long, short of 18 (truncated?)"


def test_a_record_too_long_says_so_and_one_in_utf8_is_told_by_its_encoding() -> None:
    (long,) = read(record("0001", "王", "20100407") + b"99\n")
    assert isinstance(long, RowError)
    assert long.message_en == "the record is 20 bytes long, more than 18 (a field too long?)"
    good = record("0001", "王秀英", "20100407") * 3
    (_, error) = read(b"\n".join([good[:18], b"0001" + "李秀".encode() + b" 20100408"]))
    assert isinstance(error, RowError) and "the file looks UTF-8" in error.message_en


@pytest.mark.parametrize("data", [
    # of the right width in bytes: it would be read as other characters (鐜嬬…)
    b"0001" + "王秀".encode() + b"20100407\n" + b"0002" + "李建".encode() + b"20100408\n",
    b"\xef\xbb\xbf" + record("0001", "王", "20100407") + b"\n"])
def test_a_utf8_file_is_refused_whole(data: bytes) -> None:
    with pytest.raises(ExportUnreadable) as caught:
        read(data)
    assert (caught.value.rule, caught.value.row) == ("file.malformed", 1)
    assert "must be GB18030" in caught.value.message_en


def test_a_binary_file_without_newlines_is_read_in_bounded_pieces() -> None:
    rows = read(bytes(range(1, 256)) * 400)
    assert rows and all(isinstance(r, RowError) and r.rule == "row.columns" for r in rows)


def test_an_overlong_line_is_told_as_longer_than_what_was_kept() -> None:
    good = record("0002", "李", "20100408")
    (error, row) = read(record("0001", "王", "20100407") * 5000 + b"\r\n" + good + b"\n")
    assert isinstance(error, RowError) and (error.row, error.rule) == (1, "row.columns")
    assert "longer than 1060 bytes" in error.message_en and len(error.raw) == 1060
    assert isinstance(row, Row) and row.number == 2


def test_cr_line_ends_are_read_as_lines() -> None:
    """Excel for Mac and old Mac systems end lines in CR only: each is a line, numbered as
    the clerk sees it, from a file or a pipe; such a file is read in order, not cut."""
    data = (record("0001", "王秀英", "20100407") + b"\r\r" + record("0002", "李", "20100408")
            + b"\r0003\r" + b"9" * 5000 + b"\r" + record("0004", "张", "20100409"))
    for stream in (io.BytesIO(data), io.BufferedReader(Unseekable(data))):
        rows = list(FixedWidthExport(stream, "f.txt", LAYOUT).rows())
        assert [(r.number, r.values["姓名"]) for r in rows if isinstance(r, Row)] == [
            (1, "王秀英"), (3, "李"), (6, "张")]
        assert [(r.row, r.rule) for r in rows if isinstance(r, RowError)] == [
            (4, "row.columns"), (5, "row.columns")]
    export = FixedWidthExport(io.BytesIO(data), "f.txt", LAYOUT)
    (rest,) = list(export.chunks(64))
    assert (rest.first_line, rest.data) == (1, None)
    resumed = export.resume(rest.first_line, io.BytesIO(data))
    assert [r.number for r in resumed.rows() if isinstance(r, Row)] == [1, 3, 6]


def test_a_lone_cr_in_an_lf_file_stays_data() -> None:
    """A byte of its field, not a line end: the record keeps its width."""
    rows = read(record("0001", "王\r", "20100407") + b"\r\n" + record("0002", "李", "20100408")
                + b"\r\n")
    assert [(r.number, r.raw[4:7]) for r in rows if isinstance(r, Row)] == [
        (1, "王\r".encode("gb18030")), (2, "李 ".encode("gb18030"))]
