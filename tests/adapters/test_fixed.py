"""Fixed-width exports: byte widths, GB18030, truncation, cut characters, rejects."""

from __future__ import annotations

import io

from adapters._fixed import FixedLayout, FixedWidthExport
from adapters._protocol import Row, RowError

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


def test_a_binary_file_without_newlines_is_read_in_bounded_pieces() -> None:
    rows = read(bytes(range(1, 256)) * 400)
    assert rows and all(isinstance(r, RowError) and r.rule == "row.columns" for r in rows)


def test_an_overlong_line_is_told_as_longer_than_what_was_kept() -> None:
    good = record("0002", "李", "20100408")
    (error, row) = read(record("0001", "王", "20100407") * 5000 + b"\r\n" + good + b"\n")
    assert isinstance(error, RowError) and (error.row, error.rule) == (1, "row.columns")
    assert "longer than 1060 bytes" in error.message_en and len(error.raw) == 1060
    assert isinstance(row, Row) and row.number == 2
