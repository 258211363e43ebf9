"""Fixed-width exports: one record a line, each field a run of bytes, GB18030.

Field widths count bytes, as the mainframe systems that write them do: a Chinese character
takes two. Text is padded with spaces on the right. A line of the wrong length is a truncated
(or overlong) record, ``row.columns``; a field whose bytes are not GB18030 (a character cut
in half) is ``row.encoding``. Blank lines are skipped. A rejects file repeats each refused
record padded to its full width, then ``|`` and the reason; the reader ignores what follows
a ``|`` just past the record, so a corrected rejects file loads like the original.

Lines end in LF or CRLF. A file whose first 64 KiB hold a CR but no LF (Excel for Mac, old
Mac systems) is read with CR, LF and CRLF all ending lines, numbered so; such a file is not
cut into chunks for reading on every core (chunks are cut after line feeds), but read in order.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from adapters._chunks import Chunk, cut_chunks
from adapters._protocol import Row, RowError
from adapters._values import clean
from adapters.errors import ExportUnreadable
from schema.gb18030 import read_as_2022

ENCODING = "gb18030"
_REASON_MARK = b"|"
#: How a reason starts in a rejects file (``|第12行 …``): cut off when it is loaded again.
_REASON_START = _REASON_MARK + "第".encode("gb18030")
#: How much of the start of a file tells whether its lines end in CR.
_SNIFF = 1 << 16


@dataclass(frozen=True, slots=True)
class FixedLayout:
    """The fields of a record, in order, with their widths in bytes."""

    fields: tuple[tuple[str, int], ...]

    @property
    def width(self) -> int:
        return sum(width for _, width in self.fields)


class FixedWidthExport:
    """An open fixed-width export."""

    def __init__(self, stream: BinaryIO, file: str, layout: FixedLayout,
                 first_line: int = 1, *, resumed: bool = False,
                 cr: bool | None = None) -> None:
        self.stream = stream
        self.file = file
        self.layout = layout
        #: The file line of the first line this reader reads.
        self.first_line = first_line
        #: A chunk's reader: no records in it is no complaint.
        self.resumed = resumed
        #: Lines end in CR too (None: not yet looked at).
        self.cr = cr
        self._slices = tuple(_slices(layout))

    def _ends_in_cr(self) -> bool:
        """Whether the file's first block holds a CR but no LF: it is looked at once, from
        where the stream is, and put back (a stream that cannot seek is read through a
        buffer holding it)."""
        if self.cr is None:
            stream = self.stream
            if stream.seekable():
                position = stream.tell()
                head = stream.read(_SNIFF)
                stream.seek(position)
            else:
                head = stream.read(_SNIFF)
                self.stream = io.BufferedReader(_Prefixed(head, stream))
            self.cr = b"\r" in head and b"\n" not in head
            if not self.resumed:
                _refuse_utf8(head)
        return self.cr

    def rows(self) -> Iterator[Row | RowError]:
        width, any_rows = self.layout.width, False
        read_lines = _any_lines if self._ends_in_cr() else _bounded_lines
        lines = read_lines(self.stream, 2 * width + 1024)
        for number, (line, cut) in enumerate(lines, self.first_line):
            record = line.rstrip(b"\r\n")
            if not record.strip():
                continue
            any_rows = True
            reason_at = record.find(_REASON_START)
            if reason_at >= 0:  # a record of a rejects file, loaded again: its reason goes
                record = record[:reason_at]
            if cut:
                yield RowError(self.file, number, None, "row.columns",
                               f"记录超过 {len(record)} 字节，应为 {width} 字节（不是定长文件？"
                               "拒收文件中只保留其开头）",
                               f"the record is longer than {len(record)} bytes, not {width} "
                               "(not a fixed-width file? the rejects file keeps its start only)",
                               raw=record)
                continue
            if len(record) != width:
                yield self._wrong_length(number, record)
                continue
            yield self._row(number, record)
        if not any_rows and not self.resumed:
            raise ExportUnreadable("file.empty", "文件为空，没有记录",
                                   "the file is empty: no records", row=1)

    def _wrong_length(self, number: int, record: bytes) -> RowError:
        """A record short or long of the width, with what likely made it so."""
        width, length = self.layout.width, len(record)
        if record.startswith(codecs.BOM_UTF8) or (length > width and _reads_as_utf8(record)):
            zh = (f"记录长 {length} 字节，应为 {width} 字节：文件像是 UTF-8 编码"
                  "（汉字各占 3 字节），应为 GB18030（汉字各占 2 字节）")
            en = (f"the record is {length} bytes long, not {width}: the file looks UTF-8 "
                  "(3 bytes a Chinese character); it must be GB18030 (2 bytes)")
        elif length < width:
            zh = f"记录长 {length} 字节，短于应有的 {width} 字节（记录被截断？）"
            en = f"the record is {length} bytes long, short of {width} (truncated?)"
        else:
            zh = f"记录长 {length} 字节，超过应有的 {width} 字节（某个字段过长？）"
            en = f"the record is {length} bytes long, more than {width} (a field too long?)"
        return RowError(self.file, number, self._field_at(length), "row.columns",
                        zh, en, raw=record)

    def chunks(self, size: int) -> Iterator[Chunk]:
        """The records in chunks of about ``size`` bytes; the stream must be seekable."""
        if self._ends_in_cr():
            return iter([Chunk(self.first_line, None)])  # cut after LFs only: read in order
        return cut_chunks(self.stream, self.stream.tell(), self.first_line, size,
                          _whole_records)

    def resume(self, first_line: int, stream: BinaryIO) -> FixedWidthExport:
        """A reader of the records in ``stream``, which starts at file line
        ``first_line`` of this export."""
        return FixedWidthExport(stream, self.file, self.layout, first_line, resumed=True,
                                cr=self._ends_in_cr())

    def _row(self, number: int, record: bytes) -> Row | RowError:
        values: dict[str, str] = {}
        # The lead bytes of the 24 codes GB18030-2022 reads apart from Python's codec.
        as_2022 = b"\xa6" in record or b"\xfe" in record
        for name, start, end in self._slices:
            try:
                text = record[start:end].decode(ENCODING)
                values[name] = clean(read_as_2022(text) if as_2022 else text)
            except UnicodeDecodeError:
                return RowError(self.file, number, name, "row.encoding",
                                f"“{name}”的字节不是 GB18030 编码（字符被截断？）",
                                f"the bytes of {name!r} are not GB18030 (a character cut?)",
                                raw=record)
        return Row(number, values, record)

    def _field_at(self, length: int) -> str | None:
        for name, start, end in self._slices:
            if start <= length < end:
                return name
        return None

    def rejects(self, stream: BinaryIO) -> FixedRejects:
        return FixedRejects(stream, self.layout.width)


def _refuse_utf8(head: bytes) -> None:
    """A file whose first block is UTF-8 (with a BOM, or Chinese that decodes as UTF-8,
    which GB18030's seldom does): its fields would be cut at the wrong bytes and read as
    other characters, so it is refused whole."""
    if head.startswith(codecs.BOM_UTF8):
        found = "带 BOM 的 UTF-8", "UTF-8 with a BOM"
    elif sum(byte > 0x7F for byte in head) >= 6 and _reads_as_utf8(head, final=False):
        found = "UTF-8", "UTF-8"
    else:
        return
    raise ExportUnreadable("file.malformed",
                           f"定长文件应为 GB18030 编码，此文件是{found[0]}：请另存为 GB18030",
                           f"a fixed-width file must be GB18030; this one is {found[1]}: save "
                           "it as GB18030", row=1)


def _reads_as_utf8(record: bytes, *, final: bool = True) -> bool:
    """Whether bytes holding non-ASCII decode as UTF-8 (GB18030's Chinese rarely does)."""
    if record.isascii():
        return False
    try:  # not final: a block may end inside a character
        codecs.getincrementaldecoder("utf-8")().decode(record, final=final)
    except UnicodeDecodeError:
        return False
    return True


def _whole_records(piece: bytes) -> bool:
    """Every line is a record: fixed-width files have no quoting."""
    return True


def _bounded_lines(stream: BinaryIO, limit: int) -> Iterator[tuple[bytes, bool]]:
    """Lines of at most ``limit`` bytes, each with whether it was cut there: the rest of a
    longer line is skipped (a binary file need not hold a newline at all)."""
    while line := stream.readline(limit):
        cut = len(line) == limit and not line.endswith(b"\n")
        if cut:
            while (tail := stream.readline(limit)) and not tail.endswith(b"\n"):
                pass
        yield line, cut


def _any_lines(stream: BinaryIO, limit: int) -> Iterator[tuple[bytes, bool]]:
    """As :func:`_bounded_lines`, with CR, LF and CRLF each ending a line (given as LF)."""
    pending, held, skipping = b"", b"", False
    while True:
        block = stream.read(_SNIFF)
        data, held = held + block, b""
        if block and data.endswith(b"\r"):  # its LF may come with the next read
            data, held = data[:-1], b"\r"
        *lines, pending = (pending + data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
                           ).split(b"\n")
        for line in lines:
            if skipping:  # the rest of a line already cut
                skipping = False
            elif len(line) >= limit:
                yield line[:limit], True
            else:
                yield line + b"\n", False
        if len(pending) >= limit:
            if not skipping:
                yield pending[:limit], True
            pending, skipping = b"", True
        if not block:
            break
    if pending and not skipping:
        yield pending, False


class _Prefixed(io.RawIOBase):
    """Bytes already read, then the rest of a stream that cannot seek back to them."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self.head = head
        self.stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.head[:len(buffer)] or self.stream.read(len(buffer))
        self.head = self.head[len(data):]
        buffer[:len(data)] = data
        return len(data)


def _slices(layout: FixedLayout) -> Iterator[tuple[str, int, int]]:
    start = 0
    for name, width in layout.fields:
        yield name, start, start + width
        start += width


class FixedRejects:
    """Refused records padded to the record width, then ``|`` and the reason."""

    def __init__(self, stream: BinaryIO, width: int) -> None:
        self.stream = stream
        self.width = width

    def write(self, row: object, reason: str) -> None:
        record = row if isinstance(row, bytes) else b""
        padded = record.ljust(self.width, b" ")
        self.stream.write(padded + _REASON_MARK + reason.encode(ENCODING, "replace") + b"\r\n")

    def close(self) -> None:
        self.stream.flush()
