"""CSV exports with Chinese headers: UTF-8 with a BOM, or GB18030 without one.

Full-width digits, letters and spaces become ASCII as each line is read (the full-width
comma and quote stay: they are text, not CSV syntax), and every field is stripped. The
file is read line by line and each line decoded on its own, so a line the encoding
cannot read is reported as ``row.encoding`` at that row while the rest goes on; nothing is
held but the current row. The header is the first of the first ten lines that holds every
required column (titles above it are skipped); extra columns, such as the reason column of
a rejects file, are ignored, so a corrected rejects file loads like the original.
"""

from __future__ import annotations

import codecs
import copy
import csv
import io
import re
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from typing import BinaryIO

from adapters._chunks import Chunk, cut_chunks, line_end_offset
from adapters._protocol import Row, RowError
from adapters._values import HALF_WIDTH_LINE, WIDE_LINE_RE
from adapters.errors import ExportUnreadable

UTF8_BOM = codecs.BOM_UTF8
#: The reason column appended to every rejects file.
REASON_COLUMN = "拒收原因"
_BLOCK = 1 << 18
#: A "line" longer than this (a binary file without newlines) is handed on in pieces.
_LONGEST_LINE = 16 << 20
_HEADER_SEARCH = 10


@dataclass(frozen=True, slots=True)
class CsvLayout:
    """The columns of a CSV export; ``required`` ones must be in the header."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()


class _Lines:
    """Decoded lines of a binary stream, remembering which ones did not decode.

    Blocks of whole lines are decoded at once; a block that does not decode is decoded
    line by line to find the culprits. Iterating gives one line (with its line feed) at a
    time, as :func:`csv.reader` wants them; ``bad`` holds the numbers, counted from 1 in
    the order handed out, of the lines that did not decode.
    """

    def __init__(self, stream: BinaryIO, head: bytes, encoding: str) -> None:
        self.stream = stream
        self.head = head
        self.encoding = encoding
        self.count = 0
        self.bad: set[int] = set()
        #: The last blocks handed out, by their first line: the text of a record that
        #: csv cannot read is taken from them for the rejects file.
        self.recent: deque[tuple[int, list[str]]] = deque(maxlen=2)

    def __iter__(self) -> Iterator[str]:
        return chain.from_iterable(self._decoded_blocks())

    def _decoded_blocks(self) -> Iterator[list[str]]:
        for block in _blocks(self.head, self.stream):
            text: str | None
            try:
                text = block.decode(self.encoding)
            except UnicodeDecodeError:
                text = None
            if text is None or "\x00" in text:
                lines = self._one_by_one(block)
            else:
                if not text.isascii():
                    text = WIDE_LINE_RE.sub(_half_width, text)
                lines = text.split("\n")
                last = lines.pop()
                lines = [line + "\n" for line in lines]
                if last:
                    lines.append(last)
            self.recent.append((self.count + 1, lines))
            self.count += len(lines)
            yield lines

    def text(self, first: int, last: int) -> str:
        """Lines ``first`` to ``last`` (numbered as :attr:`bad`), as far as still held."""
        return "".join(line for start, lines in self.recent
                       for line in lines[max(first - start, 0):max(last - start + 1, 0)])

    def _one_by_one(self, block: bytes) -> list[str]:
        lines = []
        for number, line in enumerate(_split_lf(block), self.count + 1):
            try:
                text = line.decode(self.encoding)
            except UnicodeDecodeError:
                self.bad.add(number)
                text = line.decode(self.encoding, "replace")
            if not text.isascii() and WIDE_LINE_RE.search(text):
                text = text.translate(HALF_WIDTH_LINE)
            if "\x00" in text:
                self.bad.add(number)
                text = text.replace("\x00", "\ufffd")
            lines.append(text)
        return lines


def _half_width(match: re.Match[str]) -> str:
    return match.group().translate(HALF_WIDTH_LINE)


def _split_lf(block: bytes) -> list[bytes]:
    """Lines ended by LF only (a lone CR is data)."""
    pieces = block.split(b"\n")
    last = pieces.pop()
    return [piece + b"\n" for piece in pieces] + ([last] if last else [])


def _blocks(head: bytes, stream: BinaryIO) -> Iterator[bytes]:
    """The stream in blocks of whole lines (a line longer than the limit is cut)."""
    pending = head
    while block := stream.read(_BLOCK):
        pending += block
        cut = pending.rfind(b"\n") + 1
        if cut == 0 and len(pending) < _LONGEST_LINE:
            continue
        cut = cut or len(pending)
        yield pending[:cut]
        pending = pending[cut:]
    if pending:
        yield pending


def _whole_records(piece: bytes) -> bool:
    """Every line of ``piece`` is one whole record: it holds no quote, or it reads alone as
    one record (a quoted field that runs on to the next line does not)."""
    if b'"' not in piece:
        return True
    for line in piece.split(b"\n"):
        if b'"' in line:
            # Latin-1 maps each byte to one character; the bytes of the quote, comma, CR
            # and LF never occur inside a GB18030 or UTF-8 character.
            try:
                if len(list(csv.reader([line.decode("latin-1")], strict=True))) > 1:
                    return False
            except csv.Error:
                return False
    return True


def _csv_problem(exc: csv.Error) -> tuple[str, str]:
    """What csv could not read, in words a clerk can act on."""
    if "new-line character" in str(exc):
        return ("无法按 CSV 读取：字段中有单独的回车符（CR），或文件的行尾只有回车符",
                "not readable as CSV: a field holds a lone carriage return (CR), or the "
                "lines end in CR only")
    return f"无法按 CSV 读取：{exc}", f"not readable as CSV: {exc}"


def _fields_anyway(text: str) -> list[str]:
    """The fields of a record csv refused, read leniently: a lone CR stays in its field;
    a record still unreadable (a field over csv's limit) is cut at its commas."""
    text = text.rstrip("\r\n")
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        return text.split(",")
    fields: list[str] = []
    for record in records:
        if not fields:
            fields = record
        else:  # csv took the CR for a line end
            fields[-1] += "\r" + (record[0] if record else "")
            fields += record[1:]
    return fields


class CsvExport:
    """An open CSV export: its encoding, header and rows.

    Besides reading the rows in order (:meth:`rows`), a large file can be cut into chunks
    of whole records (:meth:`chunks`), each read by a reader made with :meth:`resume`.
    """

    def __init__(self, stream: BinaryIO, file: str, layout: CsvLayout) -> None:
        self.stream = stream
        self.file = file
        self.layout = layout
        head = stream.read(3)
        self.encoding = "gb18030"
        if head == UTF8_BOM:
            head, self.encoding = b"", "utf-8"
        self._start(stream, head)
        self.header: list[str] = []
        self.positions: dict[str, int] | None = None

    def _start(self, stream: BinaryIO, head: bytes, first_line: int = 1,
               resumed: bool = False) -> None:
        self.lines = _Lines(stream, head, self.encoding)
        self.reader = csv.reader(self.lines)
        #: The file line of the first line this reader reads.
        self.first_line = first_line
        #: A chunk's reader: no records in it is no complaint.
        self.resumed = resumed

    def _find_header(self) -> dict[str, int]:
        first: list[str] | None = None
        try:
            for fields in self.reader:
                if not any(f.strip() for f in fields):
                    continue
                names = [f.strip().lstrip("\ufeff") for f in fields]
                first = first or names
                if all(name in names for name in self.layout.required):
                    self.header = fields
                    wanted = (*self.layout.required, *self.layout.optional)
                    self._refuse_repeats(names, wanted)
                    return {name: names.index(name) for name in wanted if name in names}
                if self.reader.line_num >= _HEADER_SEARCH:
                    break
        except csv.Error as exc:
            zh, en = _csv_problem(exc)
            raise ExportUnreadable("file.malformed", zh, en,
                                   row=self.reader.line_num) from None
        if first is None:
            raise ExportUnreadable("file.empty", "文件为空，没有表头和数据",
                                   "the file is empty: no header, no rows", row=1)
        missing = [name for name in self.layout.required if name not in first]
        raise ExportUnreadable(
            "file.header",
            f"表头缺少列：{'、'.join(missing)}（文件编码应为 GB18030 或带 BOM 的 UTF-8，"
            "或选错了适配器）",
            f"the header lacks the columns {', '.join(missing)} (the file must be GB18030 "
            "or UTF-8 with a BOM; or this is the wrong adapter)",
            row=1, column=missing[0])

    def _refuse_repeats(self, names: list[str], wanted: Sequence[str]) -> None:
        """A column read twice in the header: which one holds the values cannot be told."""
        repeated = [name for name in wanted if names.count(name) > 1]
        if repeated:
            raise ExportUnreadable(
                "file.header", f"表头中“{'、'.join(repeated)}”列出现了不止一次，无法确定取哪一列",
                f"the header has the column {', '.join(repeated)} more than once: which one "
                "to read cannot be told", row=self.first_line - 1 + self.reader.line_num,
                column=repeated[0])

    def _positions(self) -> dict[str, int]:
        if self.positions is None:
            self.positions = self._find_header()
        return self.positions

    def rows(self) -> Iterator[Row | RowError]:
        positions = self._positions()
        reader, bad = self.reader, self.lines.bad
        width = len(self.header)
        last_column = max(positions.values())
        names = tuple(positions)
        # The last column is asked for too, so that the getter gives a tuple even when
        # one column is wanted; zip() stops at the names.
        pick = itemgetter(*positions.values(), last_column)
        strip = str.strip
        offset = self.first_line - 1  # file line = offset + line of this reader
        end = reader.line_num  # the last line of the previous record
        any_rows = False
        while True:
            try:
                for fields in reader:
                    number, end = offset + end + 1, reader.line_num
                    if not fields or (not fields[0].strip() and not "".join(fields).strip()):
                        continue
                    any_rows = True
                    if bad and bad.intersection(range(number - offset, end + 1)):
                        yield self._error(number, None, "row.encoding",
                                          f"该行含有不是 {self.encoding.upper()} 编码的字节",
                                          f"the row holds bytes that are not "
                                          f"{self.encoding.upper()}", fields)
                    elif len(fields) <= last_column:
                        yield self._error(
                            number, self._column_at(len(fields)), "row.columns",
                            f"该行只有 {len(fields)} 列，表头有 {width} 列（行被截断？）",
                            f"the row has {len(fields)} fields, the header {width} "
                            "(truncated?)", fields)
                    else:
                        yield Row(number, dict(zip(names, map(strip, pick(fields)), strict=False)),
                                  fields)
                break
            except csv.Error as exc:
                number, end = offset + end + 1, reader.line_num
                any_rows = True
                # The record's own text, read leniently, goes to the rejects file: the
                # clerk corrects it there (an empty row would lose it).
                raw = _fields_anyway(self.lines.text(number - offset, end))
                zh, en = _csv_problem(exc)
                yield self._error(number, None, "row.columns", zh, en, raw)
        if not any_rows and not self.resumed:
            raise ExportUnreadable("file.no-rows", "文件只有表头，没有数据行",
                                   "the file has a header but no rows", row=offset + end)

    def chunks(self, size: int) -> Iterator[Chunk]:
        """The records after the header in chunks of about ``size`` bytes; the stream must
        be seekable. Raises :class:`ExportUnreadable` as :meth:`rows` would."""
        self._positions()
        header_lines = self.reader.line_num
        offset = line_end_offset(self.stream, header_lines)
        return cut_chunks(self.stream, offset, header_lines + 1, size, _whole_records)

    def resume(self, first_line: int, stream: BinaryIO) -> CsvExport:
        """A reader of the records in ``stream``, which starts at file line
        ``first_line`` of this export, with this export's encoding and header."""
        resumed = copy.copy(self)
        resumed._start(stream, b"", first_line, resumed=True)
        return resumed

    def _column_at(self, index: int) -> str | None:
        return self.header[index].strip() if index < len(self.header) else None

    def _error(self, row: int, column: str | None, rule: str, zh: str, en: str,
               raw: Sequence[str]) -> RowError:
        return RowError(self.file, row, column, rule, zh, en, raw=list(raw))

    def rejects(self, stream: BinaryIO) -> CsvRejects:
        return CsvRejects(stream, self.encoding, self.header)


class CsvRejects:
    """Refused rows under the original header plus :data:`REASON_COLUMN`, same encoding."""

    def __init__(self, stream: BinaryIO, encoding: str, header: Sequence[str]) -> None:
        self.stream = stream
        self.encoding = encoding
        self.width = len(header)
        if encoding == "utf-8":
            stream.write(UTF8_BOM)
        self.text = codecs.getwriter(encoding)(stream)
        self.writer = csv.writer(self.text, lineterminator="\r\n")
        self.writer.writerow([*header, REASON_COLUMN])

    def write(self, row: object, reason: str) -> None:
        fields = [str(f) for f in row] if isinstance(row, list) else []
        fields += [""] * (self.width - len(fields))
        self.writer.writerow([*fields, reason])

    def close(self) -> None:
        self.text.flush()
