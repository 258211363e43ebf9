"""Cutting a line-based export into chunks of whole records (:mod:`adapters._chunks`), and
telling whether a piece of CSV holds whole records only (:func:`adapters._csv._whole_records`)."""

from __future__ import annotations

import io
import random

import pytest

import adapters._chunks
from adapters import get_adapter
from adapters._chunks import Chunk, cut_chunks, line_end_offset
from adapters._csv import CsvExport, _whole_records
from adapters._fixed import FixedWidthExport
from adapters._protocol import Row
from fixtures.departments.synthetic import HEADER, row


def _always(piece: bytes) -> bool:
    return True


def _lines(seed: int, count: int, *, crlf: bool = False, last_terminated: bool = True) -> bytes:
    """``count`` lines of 0 to 300 bytes (some blank), LF or CRLF ended."""
    rng = random.Random(seed)
    end = b"\r\n" if crlf else b"\n"
    lines = [bytes(rng.choice(b"abc,xyz 0123") for _ in range(rng.choice((0, 1, 5, 80, 300))))
             for _ in range(count)]
    data = end.join(lines)
    return data + end if last_terminated else data + b"tail without a line feed"


def _cut(data: bytes, offset: int = 0, first_line: int = 1, size: int = 64) -> list[Chunk]:
    return list(cut_chunks(io.BytesIO(data), offset, first_line, size, _always))


def _check_cut(data: bytes, chunks: list[Chunk], offset: int, first_line: int) -> None:
    """The chunks hold the input after ``offset``, each starting at the line it says and
    ending at a line feed (the last one may end the file without one)."""
    assert all(chunk.data for chunk in chunks)
    pieces = [chunk.data for chunk in chunks if chunk.data is not None]
    assert b"".join(pieces) == data[offset:]
    start = offset
    for chunk, piece in zip(chunks, pieces, strict=True):
        assert chunk.first_line == first_line + data[:start].count(b"\n") - \
            data[:offset].count(b"\n")
        start += len(piece)
    for piece in pieces[:-1]:
        assert piece.endswith(b"\n")
    if pieces and data.endswith(b"\n"):
        assert pieces[-1].endswith(b"\n")


@pytest.mark.parametrize("size", [1, 7, 64, 1000, 1 << 16])
@pytest.mark.parametrize("crlf", [False, True])
@pytest.mark.parametrize("last_terminated", [True, False])
def test_chunks_put_together_are_the_input_cut_after_line_feeds(
        size: int, crlf: bool, last_terminated: bool) -> None:
    data = _lines(size, 300, crlf=crlf, last_terminated=last_terminated)
    chunks = _cut(data, size=size)
    _check_cut(data, chunks, 0, 1)
    if crlf:
        for chunk in chunks[:-1]:
            assert chunk.data is not None and chunk.data.endswith(b"\r\n")
    if size == 1 << 16:  # one read: one chunk, and the unterminated line after it
        assert len(chunks) == (1 if last_terminated else 2)
    else:
        assert len(chunks) > 1


@pytest.mark.parametrize("size", [16, 300, 4096])
def test_a_chunk_is_about_the_size_asked_for(size: int) -> None:
    """A chunk is what a read of ``size`` bytes completes to a line feed: at most
    ``size`` bytes more than the longest line."""
    data = _lines(size, 500)
    longest = max(len(line) + 1 for line in data.split(b"\n"))
    chunks = _cut(data, size=size)
    for chunk in chunks:
        assert chunk.data is not None and len(chunk.data) <= size + longest
    assert len(chunks) >= len(data) // (size + longest)


@pytest.mark.parametrize("lines", [0, 1, 2, 57])
def test_chunks_start_after_the_offset_with_its_line_number(lines: int) -> None:
    data = _lines(3, 100)
    offset = line_end_offset(io.BytesIO(data), lines)
    chunks = _cut(data, offset, lines + 1, 200)
    _check_cut(data, chunks, offset, lines + 1)
    assert chunks[0].first_line == lines + 1


def test_nothing_after_the_offset_gives_no_chunk() -> None:
    assert _cut(b"") == []
    assert _cut(b"header\r\n", offset=8, first_line=2) == []


def test_a_single_unterminated_line_is_one_chunk() -> None:
    assert _cut(b"no line feed at all", size=4) == [Chunk(1, b"no line feed at all")]


def test_a_stretch_without_line_feed_over_the_limit_is_left_to_read_in_order(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(adapters._chunks, "_LONGEST_LINE", 100)
    head = b"one\ntwo\nthree\n" * 20
    data = head + b"x" * 250 + b"\nafter\n" * 30
    stream = io.BytesIO(data)
    chunks = list(cut_chunks(stream, 0, 1, 32, _always))
    *cut, rest = chunks
    assert rest == Chunk(head.count(b"\n") + 1, None)
    assert b"".join(c.data for c in cut if c.data is not None) == head
    assert stream.tell() == len(head) and stream.read() == data[len(head):]


def test_a_long_line_under_the_limit_is_cut_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(adapters._chunks, "_LONGEST_LINE", 1000)
    data = b"a\n" + b"x" * 900 + b"\nb\n"
    chunks = _cut(data, size=10)
    _check_cut(data, chunks, 0, 1)
    assert chunks[1].data is not None and chunks[1].data.startswith(b"x" * 900 + b"\n")


def test_a_piece_that_is_not_whole_records_leaves_the_rest_to_read_in_order() -> None:
    """Pieces before the first doubtful one are cut; the stream is put back at its start."""
    data = b"".join(b"line %d\n" % i for i in range(100))
    bad = data.index(b"line 60\n")

    def whole(piece: bytes) -> bool:
        return b"line 60\n" not in piece

    stream = io.BytesIO(data)
    chunks = list(cut_chunks(stream, 0, 1, 50, whole))
    *cut, rest = chunks
    assert rest.data is None and cut and all(c.data is not None for c in cut)
    done = b"".join(c.data for c in cut if c.data is not None)
    assert data.startswith(done) and len(done) <= bad
    assert rest.first_line == done.count(b"\n") + 1
    assert stream.tell() == len(done) and stream.read() == data[len(done):]


def test_an_unterminated_last_line_that_is_not_whole_is_left_to_read_in_order() -> None:
    data = b"a\nb\nc,\"open"
    stream = io.BytesIO(data)
    chunks = list(cut_chunks(stream, 0, 1, 4, _whole_records))
    assert chunks[-1] == Chunk(3, None)
    assert stream.read() == b"c,\"open"


@pytest.mark.parametrize("crlf", [False, True])
def test_line_end_offset(crlf: bool) -> None:
    end = b"\r\n" if crlf else b"\n"
    data = end.join([b"title", b"", b"header", b"row"]) + end
    stream = io.BytesIO(data)
    assert line_end_offset(stream, 0) == 0
    assert line_end_offset(stream, 1) == len(b"title" + end)
    assert line_end_offset(stream, 3) == data.index(b"row")
    assert line_end_offset(stream, 4) == len(data)
    assert line_end_offset(stream, 9) == len(data)  # fewer lines: the whole stream


def test_line_end_offset_across_read_blocks() -> None:
    """The line feeds counted lie on both sides of the 64 KiB read block."""
    data = b"x" * 65530 + b"\n" + b"y" * 10 + b"\n" + b"z" * 70000 + b"\nend"
    stream = io.BytesIO(data)
    assert line_end_offset(stream, 1) == 65531
    assert line_end_offset(stream, 2) == 65542
    assert line_end_offset(stream, 3) == len(data) - 3
    assert line_end_offset(stream, 4) == len(data)


@pytest.mark.parametrize("piece", [
    b"",
    b"a,b,c\r\n",
    b"a,b,c\r\nd,e,f\r\nno line feed",
    b'"a,b","c"\r\n"d","e"\r\n',
    b'"quoted ""quotes"" inside",x\n',
    b'a,b"c,d\n',  # a quote inside an unquoted field is text
    b'c",d\r\n',  # so the last line of a two-line field reads whole: cutting starts at
    # a record and stops at the first doubtful line, never getting there
    b'"a\rb",c\r\n',  # a lone CR inside quotes is data
    '"郑州市中原区,建设西路",王秀英\r\n'.encode("gb18030"),
    '"郑州市中原区,建设西路",王秀英\r\n'.encode(),
    b'"last line, unterminated"',
])
def test_whole_records(piece: bytes) -> None:
    assert _whole_records(piece)


@pytest.mark.parametrize("piece", [
    b'a,"b\r\nc",d\r\n',  # a quoted field running on to the next line
    b'x,y\r\na,"b\r\n',  # ... cut after its first line
    b'"abc"def,x\n',  # not strict CSV: leave it to the reader
    b'a,"open',
    b'a,b\rc,"d"\n',  # a lone CR outside quotes
])
def test_not_whole_records(piece: bytes) -> None:
    assert not _whole_records(piece)


def _ga_export(rows: list[str], *, bom: bool = False) -> bytes:
    text = "\r\n".join(["暂住人口登记信息（2010年4月）,,,", "", HEADER, *rows]) + "\r\n"
    return b"\xef\xbb\xbf" + text.encode() if bom else text.encode("gb18030")


@pytest.mark.parametrize("bom", [False, True])
def test_csv_chunks_start_after_the_header_and_read_as_the_whole_file(bom: bool) -> None:
    """Title and blank lines above the header are skipped; each chunk read by a resumed
    reader gives the rows, with their file line numbers, that reading in order gives."""
    rows = [row(i) for i in range(200)]
    rows[50] = '"' + rows[50].replace(",", '","') + '"'  # a row with every field quoted
    data = _ga_export(rows, bom=bom)
    export = get_adapter("ga").open(io.BytesIO(data), "x.csv")
    assert isinstance(export, CsvExport)
    chunks = list(export.chunks(2048))
    header = HEADER.encode("utf-8" if bom else "gb18030") + b"\r\n"
    header_end = data.index(header) + len(header)
    _check_cut(data, chunks, header_end, 4)
    assert len(chunks) > 5
    in_order = list(get_adapter("ga").open(io.BytesIO(data), "x.csv").rows())
    resumed = [item for chunk in chunks if chunk.data is not None
               for item in export.resume(chunk.first_line, io.BytesIO(chunk.data)).rows()]
    assert resumed == in_order
    assert [r.number for r in resumed[:2] if isinstance(r, Row)] == [4, 5]


def test_csv_chunks_of_a_header_only_export_are_none() -> None:
    for data in (_ga_export([]), HEADER.encode("gb18030")):
        export = get_adapter("ga").open(io.BytesIO(data), "x.csv")
        assert isinstance(export, CsvExport)
        assert list(export.chunks(64)) == []


def test_csv_chunks_stop_at_a_quoted_field_running_on_to_the_next_line() -> None:
    rows = [row(i) for i in range(200)]
    fields = rows[120].split(",")
    fields[11] = '"郑州市中原区\r\n建设西路187号"'
    rows[120] = ",".join(fields)
    data = _ga_export(rows)
    stream = io.BytesIO(data)
    export = get_adapter("ga").open(stream, "x.csv")
    assert isinstance(export, CsvExport)
    *cut, rest = list(export.chunks(1024))
    assert rest.data is None and len(cut) > 5
    resumed = [item for chunk in cut if chunk.data is not None
               for item in export.resume(chunk.first_line, io.BytesIO(chunk.data)).rows()]
    resumed += export.resume(rest.first_line, stream).rows()
    in_order = list(get_adapter("ga").open(io.BytesIO(data), "x.csv").rows())
    assert resumed == in_order and len(in_order) == 200
    after = in_order[121]  # the row after the two-line one
    assert isinstance(after, Row) and after.number == 4 + 121 + 1


def test_fixed_width_chunks_start_where_the_stream_is() -> None:
    data = b"".join(b"%05d\r\n" % i for i in range(100))
    export = get_adapter("rs").open(io.BytesIO(data), "x.txt")
    assert isinstance(export, FixedWidthExport)
    chunks = list(export.chunks(64))
    _check_cut(data, chunks, 0, 1)
    assert len(chunks) > 5
