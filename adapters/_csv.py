"""CSV exports with Chinese headers: UTF-8 with a BOM, or GB18030 without one.

Full-width digits, letters and spaces become ASCII as each line is read (the full-width
comma and quote stay: they are text, not CSV syntax), and every field is stripped. The file
is read line by line and each line decoded on its own, so a line the encoding cannot read
is reported as ``row.encoding`` at that row while the rest goes on, as is a line holding
the replacement character U+FFFD (characters an earlier conversion lost); nothing is held
but the current row. The header is the first of the first ten lines that holds every
required column (titles above it are skipped); extra columns, such as the reason column of
a rejects file, are ignored, so a corrected rejects file loads like the original. A file
whose header cannot be found and that holds NUL bytes at its start (UTF-16 or UTF-32, with
or without a BOM) is refused at its header as being in the wrong encoding.

Lines end in LF or CRLF (a lone CR is data, as csv reads it). A file whose first block
(256 KiB) holds a CR but no LF, as Excel for Mac's "CSV (Macintosh)" writes, is read with
CR, LF and CRLF all ending lines, and numbered so.

A quoted field may hold line breaks (a multi-line cell). A record read over several lines
is taken as one only if it has as many fields as the header (or more, all of them empty
past the header's), no line break inside a field is followed by a whole record's worth of
fields (header width less one commas), and the lines between its first and its last hold at
most :data:`_LONGEST_RUN` characters; otherwise its first line holds an unmatched quote
(引号不成对): that line alone is refused (``row.columns``, its fields cut at their commas, the
quote kept, for the rejects file) and the lines after it are read again as records of their
own. The limit is checked at each block end too, so the lines a quote runs over are held
(for reading again) up to that limit, and none is lost.
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
from typing import BinaryIO, Protocol, cast

from adapters._chunks import Chunk, cut_chunks, line_end_offset
from adapters._protocol import Row, RowError
from adapters._values import HALF_WIDTH_LINE, LOST, WIDE_LINE_RE
from adapters.errors import ExportUnreadable
from schema.gb18030 import encode_as_2022, read_as_2022

UTF8_BOM = codecs.BOM_UTF8
#: The reason column appended to every rejects file.
REASON_COLUMN = "拒收原因"
_BLOCK = 1 << 18
#: A "line" longer than this (a binary file without newlines) is handed on in pieces.
_LONGEST_LINE = 16 << 20
_HEADER_SEARCH = 10
#: The most characters a quoted field may run over past the line it opens on (csv's own
#: field limit): further, its quote is taken as unmatched.
_LONGEST_RUN = 1 << 17
#: How much of the start of a file tells a UTF-16 or UTF-32 one (NUL bytes).
_SAMPLE = 1 << 10
_WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)
_LINE_END = re.compile(rb"\r\n?|\n")


class _BlockEnd:
    """Put after each block's lines: csv refuses it (not a string) without losing a line or
    counting one, which tells the reader where a block ends and whether a record is open
    across it (what is held for reading again depends on that)."""


_BLOCK_END = (_BlockEnd(),)


def _at_block_end(exc: csv.Error) -> bool:
    return _BlockEnd.__name__ in str(exc)


@dataclass(frozen=True, slots=True)
class CsvLayout:
    """The columns of a CSV export; ``required`` ones must be in the header."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()


class _Lines:
    """Decoded lines of a binary stream, remembering which ones did not decode.

    Blocks of whole lines are decoded at once; a block that does not decode is decoded
    line by line to find the culprits. Iterating gives one line (with its line feed) at a
    time, as :func:`csv.reader` wants them, and :data:`_BLOCK_END` after each block;
    ``bad`` holds the numbers, counted from 1 in the order handed out, of the lines that
    did not decode; ``lost``, of those that decoded but hold the replacement character
    U+FFFD (an earlier conversion lost their characters: a rejects file of lines that did
    not decode holds it too). ``cr``: lines end in CR too (None: decided by the first block).
    """

    def __init__(self, stream: BinaryIO, head: bytes, encoding: str,
                 cr: bool | None = None) -> None:
        self.stream = stream
        self.head = head
        self.encoding = encoding
        self.gb18030 = encoding == "gb18030"
        self.cr = cr
        self.count = 0
        self.bad: set[int] = set()
        self.lost: set[int] = set()
        #: The first bytes of the stream, to tell a UTF-16 file.
        self.start = b""
        #: The blocks handed out, by their first line, from the one holding line ``keep``:
        #: the text of a record that csv cannot read, or lines to read again, come from them.
        self.recent: deque[tuple[int, list[str]]] = deque()
        self.keep = 1

    def __iter__(self) -> Iterator[str | _BlockEnd]:
        return chain.from_iterable(self._decoded_blocks())

    def _decoded_blocks(self) -> Iterator[Sequence[str | _BlockEnd]]:
        for block in self._blocks():
            text: str | None
            try:
                text = block.decode(self.encoding)
            except UnicodeDecodeError:
                text = None
            if text is not None and self.gb18030:
                text = read_as_2022(text)
            if text is None or "\x00" in text or LOST in text:
                lines = self._one_by_one(block)
            else:
                if not text.isascii():
                    text = WIDE_LINE_RE.sub(_half_width, text)
                lines = text.split("\n")
                last = lines.pop()
                lines = [line + "\n" for line in lines]
                if last:
                    lines.append(last)
            recent = self.recent
            while recent and recent[0][0] + len(recent[0][1]) <= self.keep:
                recent.popleft()
            recent.append((self.count + 1, lines))
            self.count += len(lines)
            yield lines
            yield _BLOCK_END

    def held(self, first: int, last: int) -> list[str]:
        """Lines ``first`` to ``last`` (numbered as :attr:`bad`), as far as still held."""
        return [line for start, lines in self.recent
                for line in lines[max(first - start, 0):max(last - start + 1, 0)]]

    def text(self, first: int, last: int) -> str:
        return "".join(self.held(first, last))

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
            if self.gb18030:
                text = read_as_2022(text)
            if "\x00" in text:
                self.bad.add(number)
                text = text.replace("\x00", LOST)
            elif LOST in text and number not in self.bad:
                self.lost.add(number)
            lines.append(text)
        return lines

    def _blocks(self) -> Iterator[bytes]:
        """The stream in blocks of whole lines (a line longer than the limit is cut, the
        rest of it skipped: it stays one line, and the lines after it keep their numbers);
        in CR mode with every line end made an LF."""
        pending, held, skipping = b"", self.head, False
        while True:
            block = self.stream.read(_BLOCK)
            data, held = held + block, b""
            if self.cr is None:
                self.start = data[:_SAMPLE]
                # Lines end in CR alone (classic Mac): no CRLF, and more CRs than LFs (a
                # cell may hold an LF, as Alt+Enter writes it).
                self.cr = (b"\r" in data and b"\r\n" not in data
                           and data.count(b"\r") > data.count(b"\n"))
            if self.cr:
                if block and data.endswith(b"\r"):  # its LF may come with the next read
                    data, held = data[:-1], b"\r"
                data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
            pending += data
            if skipping:  # the rest of a line already cut
                end = pending.find(b"\n") + 1
                pending, skipping = (pending[end:], False) if end else (b"", True)
            if not block:
                break
            cut = pending.rfind(b"\n") + 1
            if cut == 0 and len(pending) < _LONGEST_LINE:
                continue
            if cut == 0:  # a line too long: what was read of it stands for it
                yield pending
                pending, skipping = b"", True
                continue
            yield pending[:cut]
            pending = pending[cut:]
        if pending:
            yield pending


def _half_width(match: re.Match[str]) -> str:
    return match.group().translate(HALF_WIDTH_LINE)


def _split_lf(block: bytes) -> list[bytes]:
    """Lines ended by LF only (a lone CR is data)."""
    pieces = block.split(b"\n")
    last = pieces.pop()
    return [piece + b"\n" for piece in pieces] + ([last] if last else [])


def _looks_wide(start: bytes) -> bool:
    """UTF-16 or UTF-32, with or without a BOM: not read as ASCII-compatible text."""
    return start.startswith(_WIDE_BOMS) or b"\x00" in start


def _any_line_end_offset(stream: BinaryIO, lines: int) -> int:
    """The byte offset just past the ``lines``-th line end, CR, LF and CRLF each ending
    one, from the start of the stream."""
    stream.seek(0)
    position, found, after_cr = 0, 0, False
    while piece := stream.read(1 << 16):
        # The LF of a CRLF cut between two reads was counted with its CR.
        for match in _LINE_END.finditer(piece, int(after_cr and piece[:1] == b"\n")):
            found += 1
            if found == lines:
                end = position + match.end()
                if match.group() == b"\r" and match.end() == len(piece):
                    stream.seek(end)
                    end += stream.read(1) == b"\n"
                return end
        position += len(piece)
        after_cr = piece.endswith(b"\r")
    return position


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


def _ends_quoted(line: str) -> bool:
    """The line ends inside a quoted field (at the end of the file: no line follows)."""
    try:
        for _ in csv.reader([line], strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


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
               resumed: bool = False, cr: bool | None = None) -> None:
        self.lines = _Lines(stream, head, self.encoding, cr)
        # The block ends are not strings: csv refuses them, as meant (see _BlockEnd).
        self._feed = cast("Iterator[str]", iter(self.lines))
        self.reader = csv.reader(self._feed)
        #: The line (numbered as ``self.lines``) before the first one of ``reader``.
        self.shift = 0
        #: The file line of the first line this reader reads.
        self.first_line = first_line
        #: A chunk's reader: no records in it is no complaint.
        self.resumed = resumed

    def _read_again(self, first: int) -> None:
        """A new reader, from line ``first`` (numbered as ``self.lines``): the lines read
        since, again, then the rest."""
        last = self.shift + self.reader.line_num
        self.reader = csv.reader(chain(self.lines.held(first, last), self._feed))
        self.shift = first - 1
        self.lines.keep = first

    def _line(self) -> int:
        """The file line the reader is at."""
        return self.first_line - 1 + self.shift + self.reader.line_num

    def _header_records(self) -> Iterator[list[str]]:
        """The records, across block ends, for the header search."""
        done = self.reader.line_num
        while True:
            try:
                for fields in self.reader:
                    done = self.reader.line_num
                    yield fields
                return
            except csv.Error as exc:
                if not _at_block_end(exc):
                    raise
                if self.reader.line_num > done:  # a record open across the block end
                    self._read_again(self.shift + done + 1)
                    done = 0
                else:
                    self.lines.keep = self.lines.count + 1

    def _find_header(self) -> dict[str, int]:
        # The line most like the header (most required names), for the error without one.
        best: tuple[int, list[str], int] | None = None
        try:
            for fields in self._header_records():
                if not any(f.strip() for f in fields):
                    continue
                # Spaces inside a name too, full-width ones included: 姓　名 is 姓名.
                names = ["".join(f.lstrip("\ufeff").split()) for f in fields]
                found = sum(name in names for name in self.layout.required)
                if best is None or found > best[0]:
                    best = (found, names, self._line())
                if found == len(self.layout.required):
                    self.header = fields
                    wanted = (*self.layout.required, *self.layout.optional)
                    self._refuse_repeats(names, wanted)
                    return {name: names.index(name) for name in wanted if name in names}
                if self.shift + self.reader.line_num >= _HEADER_SEARCH:
                    break
        except csv.Error as exc:
            self._refuse_wide()
            zh, en = _csv_problem(exc)
            raise ExportUnreadable("file.malformed", zh, en, row=self._line()) from None
        self._refuse_wide()
        if best is None:
            raise ExportUnreadable("file.empty", "文件为空，没有表头和数据",
                                   "the file is empty: no header, no rows", row=1)
        _, names, line = best
        missing = [name for name in self.layout.required if name not in names]
        raise ExportUnreadable(
            "file.header",
            f"表头缺少列：{'、'.join(missing)}（文件编码应为 GB18030 或带 BOM 的 UTF-8，"
            "或选错了适配器）",
            f"the header lacks the columns {', '.join(missing)} (the file must be GB18030 "
            "or UTF-8 with a BOM; or this is the wrong adapter)",
            row=line, column=missing[0])

    def _refuse_wide(self) -> None:
        """No header found in a UTF-16 or UTF-32 file: its encoding is the reason."""
        if _looks_wide(self.lines.start):
            raise ExportUnreadable(
                "file.header",
                "无法读取表头：文件像是 UTF-16 或 UTF-32 编码（含 NUL 字节）；文件编码应为 "
                "GB18030 或带 BOM 的 UTF-8，请另存后再导入",
                "the header cannot be read: the file looks UTF-16 or UTF-32 (it holds NUL "
                "bytes); the file must be GB18030 or UTF-8 with a BOM: save it so and load "
                "it again", row=1)

    def _refuse_repeats(self, names: list[str], wanted: Sequence[str]) -> None:
        """A column read twice in the header: which one holds the values cannot be told."""
        repeated = [name for name in wanted if names.count(name) > 1]
        if repeated:
            raise ExportUnreadable(
                "file.header", f"表头中“{'、'.join(repeated)}”列出现了不止一次，无法确定取哪一列",
                f"the header has the column {', '.join(repeated)} more than once: which one "
                "to read cannot be told", row=self._line(), column=repeated[0])

    def _positions(self) -> dict[str, int]:
        if self.positions is None:
            self.positions = self._find_header()
        return self.positions

    def rows(self) -> Iterator[Row | RowError]:
        positions = self._positions()
        lines = self.lines
        bad, lost = lines.bad, lines.lost
        width = len(self.header)
        named = self._width()  # fields past it must be empty (trailing commas)
        last_column = max(positions.values())
        names = tuple(positions)
        # The last column is asked for too, so that the getter gives a tuple even when
        # one column is wanted; zip() stops at the names.
        pick = itemgetter(*positions.values(), last_column)
        strip = str.strip
        base = self.first_line - 1  # file line = base + line as numbered by self.lines
        reader, shift = self.reader, self.shift
        offset = base + shift  # file line = offset + line of this reader
        end = reader.line_num  # the last line of the previous record
        any_rows = False
        while True:
            try:
                for fields in reader:
                    number, end = offset + end + 1, reader.line_num
                    if offset + end != number and self._ran_away(fields, number - base,
                                                                  shift + end):
                        any_rows = True
                        yield self._unmatched(number - base)
                        self._read_again(number - base + 1)
                        reader, shift, end = self.reader, self.shift, 0
                        offset = base + shift
                        break
                    if not fields or (not fields[0].strip() and not "".join(fields).strip()):
                        continue
                    any_rows = True
                    if bad and bad.intersection(range(number - base, shift + end + 1)):
                        yield self._error(number, self._lost_at(fields), "row.encoding",
                                          f"该行含有不是 {self.encoding.upper()} 编码的字节",
                                          f"the row holds bytes that are not "
                                          f"{self.encoding.upper()}", fields)
                    elif lost and lost.intersection(range(number - base, shift + end + 1)):
                        yield self._error(number, self._lost_at(fields), "row.encoding",
                                          f"该行含有替换字符 {LOST}：原有的字符在转换编码时已丢失",
                                          f"the row holds the replacement character {LOST}: "
                                          "its characters were lost converting the encoding",
                                          fields)
                    elif len(fields) <= last_column:
                        if _ends_quoted(lines.text(number - base, number - base)):
                            # The last line, its quote running to the end of the file.
                            yield self._unmatched(number - base)
                            continue
                        yield self._error(
                            number, self._column_at(len(fields)), "row.columns",
                            f"该行只有 {len(fields)} 列，表头有 {width} 列（行被截断？）",
                            f"the row has {len(fields)} fields, the header {width} "
                            "(truncated?)", fields)
                    elif len(fields) > named and any(map(strip, fields[named:])):
                        yield self._error(
                            number, None, "row.columns",
                            f"该行有 {len(fields)} 列，多于表头的 {named} 列"
                            "（值中的逗号没有加引号？）",
                            f"the row has {len(fields)} fields, more than the header's {named} "
                            "(a comma in a value, unquoted?)", fields)
                    else:
                        yield Row(number, dict(zip(names, map(strip, pick(fields)), strict=False)),
                                  fields)
                else:
                    break
            except csv.Error as exc:
                first, last = shift + end + 1, shift + reader.line_num
                if _at_block_end(exc):
                    if last < first:  # no record open: the blocks before can go
                        lines.keep = lines.count + 1
                        continue
                    if self._run_length(first, last) <= _LONGEST_RUN:
                        self._read_again(first)  # the record goes on into the next block
                    else:
                        any_rows = True
                        yield self._unmatched(first)
                        self._read_again(first + 1)
                    reader, shift, end = self.reader, self.shift, 0
                    offset = base + shift
                    continue
                any_rows = True
                end = reader.line_num
                if last > first and self._unreadable_run(exc, first, last):
                    yield self._unmatched(first)
                    self._read_again(first + 1)
                    reader, shift, end = self.reader, self.shift, 0
                    offset = base + shift
                    continue
                # The record's own text, read leniently, goes to the rejects file: the
                # clerk corrects it there (an empty row would lose it).
                raw = _fields_anyway(lines.text(first, last))
                zh, en = _csv_problem(exc)
                yield self._error(base + first, None, "row.columns", zh, en, raw)
        if not any_rows and not self.resumed:
            raise ExportUnreadable("file.no-rows", "文件只有表头，没有数据行",
                                   "the file has a header but no rows", row=offset + end)

    def _run_length(self, first: int, last: int) -> int:
        """The characters of lines ``first + 1`` to ``last``: how far a quote on line
        ``first`` has run."""
        return sum(map(len, self.lines.held(first + 1, last)))

    def _width(self) -> int:
        """The header's columns up to its last named one: empty names after it are trailing
        commas, as spreadsheets write them, which rows need not repeat."""
        named = [index for index, name in enumerate(self.header) if name.strip()]
        return named[-1] + 1 if named else len(self.header)

    def _ran_away(self, fields: list[str], first: int, last: int) -> bool:
        """Whether a record read over lines ``first`` to ``last`` is an unmatched quote
        running on rather than quoted fields holding line breaks: too few fields, or more
        with text past the header's, a quote closed with text right after it, a whole
        record's worth of fields after a line break in a field, or too long a run."""
        width = self._width()
        # Empty fields past the header's are trailing commas, as spreadsheets write them.
        if len(fields) < width or any(map(str.strip, fields[width:])):
            return True
        if self._closed_by_the_next_row(first, last):
            return True
        commas = max(width - 1, 1)
        for field in fields:
            if "\n" in field and any(piece.count(",") >= commas
                                     for piece in field.split("\n")[1:]):
                return True
        return self._run_length(first, last - 1) > _LONGEST_RUN

    def _closed_by_the_next_row(self, first: int, last: int) -> bool:
        """Whether the quote that closed the record's long field has text right after it
        (``…7号",…`` read as ``"…7号"``): csv took the next row's own opening quote for
        the closing one, so the quote that opened the field was stray. A quoted cell
        holding line breaks closes before a comma or the line end."""
        text = self.lines.text(first, last)
        try:
            for _ in csv.reader(io.StringIO(text, newline=""), strict=True):
                pass
        except csv.Error:
            return True
        return False

    def _unreadable_run(self, exc: csv.Error, first: int, last: int) -> bool:
        """Whether a record csv could not read over lines ``first`` to ``last`` is an
        unmatched quote running on: over csv's field limit, or a line inside it that
        holds a whole record's worth of fields, or too long a run."""
        if "field limit" in str(exc):
            return True
        inside = self.lines.held(first + 1, last - 1)
        commas = max(self._width() - 1, 1)
        return (sum(map(len, inside)) > _LONGEST_RUN
                or any(line.count(",") >= commas for line in inside))

    def _unmatched(self, line: int) -> RowError:
        """Line ``line`` (numbered as ``self.lines``) refused alone: a quote on it opens a
        field that is never closed. Its fields for the rejects file: those before the quote
        as csv reads them, the rest cut at its commas with the quote kept as text, for the
        clerk to see and remove."""
        text = self.lines.text(line, line)
        column: str | None = None
        try:
            # Ended, so that its line end is in the last field only if the quote took it.
            fields = next(csv.reader([text if text.endswith("\n") else text + "\n"]), [])
        except csv.Error:
            fields = []
        if fields and fields[-1].endswith("\n"):  # the field the quote opened
            rest = ('"' + fields.pop()).rstrip("\r\n").split(",")
            column = self._column_at(len(fields))
            fields += rest
        else:
            fields = _fields_anyway(text)
        where = f"“{column}”列" if column else "某列"
        return self._error(
            self.first_line - 1 + line, column, "row.columns",
            f"引号不成对：{where}的值以引号开头，却没有结束的引号（其后各行照常单独读取）",
            f"unmatched quote: the value in {column or 'a column'} starts with a quote that "
            "is never closed (the lines after it are read as rows of their own)", fields)

    def chunks(self, size: int) -> Iterator[Chunk]:
        """The records after the header in chunks of about ``size`` bytes; the stream must
        be seekable. Raises :class:`ExportUnreadable` as :meth:`rows` would."""
        self._positions()
        header_lines = self.shift + self.reader.line_num
        if self.lines.cr:
            # Chunks are cut after line feeds only: a file of CR lines is read in order.
            self.stream.seek(_any_line_end_offset(self.stream, header_lines))
            return iter([Chunk(header_lines + 1, None)])
        offset = line_end_offset(self.stream, header_lines)
        return cut_chunks(self.stream, offset, header_lines + 1, size, _whole_records)

    def resume(self, first_line: int, stream: BinaryIO) -> CsvExport:
        """A reader of the records in ``stream``, which starts at file line
        ``first_line`` of this export, with this export's encoding, header and line ends."""
        resumed = copy.copy(self)
        resumed._start(stream, b"", first_line, resumed=True, cr=bool(self.lines.cr))
        return resumed

    def _column_at(self, index: int) -> str | None:
        return self.header[index].strip() if index < len(self.header) else None

    def _lost_at(self, fields: list[str]) -> str | None:
        """The column of the first field holding U+FFFD: where bytes did not decode (read
        leniently, each became one) or characters were lost before."""
        return self._column_at(next((i for i, field in enumerate(fields) if LOST in field),
                                    len(self.header)))

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
        self.text: _TextOut = codecs.getwriter(encoding)(stream) if encoding != "gb18030" \
            else _Gb18030Out(stream)
        self.writer = csv.writer(self.text, lineterminator="\r\n")
        self.writer.writerow([*header, REASON_COLUMN])

    def write(self, row: object, reason: str) -> None:
        fields = [str(f) for f in row] if isinstance(row, list) else []
        fields += [""] * (self.width - len(fields))
        self.writer.writerow([*fields, reason])

    def close(self) -> None:
        self.text.flush()


class _TextOut(Protocol):
    def write(self, text: str, /) -> object: ...

    def flush(self) -> None: ...


class _Gb18030Out:
    """Text to GB18030 as the 2022 edition writes it (:func:`schema.gb18030.encode_as_2022`),
    so that a clerk's system reads back what it wrote."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(encode_as_2022(text))

    def flush(self) -> None:
        self.stream.flush()
