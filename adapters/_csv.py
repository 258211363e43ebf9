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
import csv
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO

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
    line by line to find the culprits. ``number`` is the line last handed out.
    """

    def __init__(self, stream: BinaryIO, head: bytes, encoding: str) -> None:
        self.stream = stream
        self.head = head
        self.encoding = encoding
        self.number = 0
        self.bad: set[int] = set()

    def __iter__(self) -> Iterator[str]:
        for block in _blocks(self.head, self.stream):
            try:
                text = block.decode(self.encoding)
            except UnicodeDecodeError:
                yield from self._one_by_one(block)
                continue
            if "\x00" in text:
                yield from self._one_by_one(block)
                continue
            text = WIDE_LINE_RE.sub(_half_width, text)
            lines = text.split("\n")
            last = lines.pop()
            for line in lines:
                self.number += 1
                yield line + "\n"
            if last:
                self.number += 1
                yield last

    def _one_by_one(self, block: bytes) -> Iterator[str]:
        for line in _split_lf(block):
            self.number += 1
            try:
                text = line.decode(self.encoding)
            except UnicodeDecodeError:
                self.bad.add(self.number)
                text = line.decode(self.encoding, "replace")
            if not text.isascii() and WIDE_LINE_RE.search(text):
                text = text.translate(HALF_WIDTH_LINE)
            if "\x00" in text:
                self.bad.add(self.number)
                text = text.replace("\x00", "\ufffd")
            yield text


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


class CsvExport:
    """An open CSV export: its encoding, header and rows."""

    def __init__(self, stream: BinaryIO, file: str, layout: CsvLayout) -> None:
        self.file = file
        self.layout = layout
        head = stream.read(3)
        self.encoding = "gb18030"
        if head == UTF8_BOM:
            head, self.encoding = b"", "utf-8"
        self.lines = _Lines(stream, head, self.encoding)
        self.reader = csv.reader(self.lines)
        self.header: list[str] = []

    def _find_header(self) -> dict[str, int]:
        first: list[str] | None = None
        for fields in self.reader:
            if not any(f.strip() for f in fields):
                continue
            names = [f.strip().lstrip("\ufeff") for f in fields]
            first = first or names
            if all(name in names for name in self.layout.required):
                self.header = fields
                wanted = (*self.layout.required, *self.layout.optional)
                return {name: names.index(name) for name in wanted if name in names}
            if self.lines.number >= _HEADER_SEARCH:
                break
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

    def rows(self) -> Iterator[Row | RowError]:
        try:
            positions = self._find_header()
        except csv.Error as exc:
            raise ExportUnreadable("file.malformed", f"无法按 CSV 读取：{exc}",
                                   f"not readable as CSV: {exc}", row=self.lines.number) \
                from None
        width = len(self.header)
        last_column = max(positions.values())
        items = tuple(positions.items())
        any_rows = False
        lines = self.lines
        start = lines.number + 1
        while True:
            try:
                fields = next(self.reader)
            except StopIteration:
                break
            except csv.Error as exc:
                yield self._error(start, None, "row.columns", f"无法按 CSV 读取：{exc}",
                                  f"not readable as CSV: {exc}", [])
                start = lines.number + 1
                continue
            number, start = start, lines.number + 1
            if not fields or not any(f.strip() for f in fields):
                continue
            any_rows = True
            if lines.bad and lines.bad.intersection(range(number, start)):
                yield self._error(number, None, "row.encoding",
                                  f"该行含有不是 {self.encoding.upper()} 编码的字节",
                                  f"the row holds bytes that are not {self.encoding.upper()}",
                                  fields)
                continue
            if len(fields) <= last_column:
                yield self._error(number, self._column_at(len(fields)), "row.columns",
                                  f"该行只有 {len(fields)} 列，表头有 {width} 列（行被截断？）",
                                  f"the row has {len(fields)} fields, the header {width} "
                                  "(truncated?)", fields)
                continue
            yield Row(number, {name: fields[i].strip() for name, i in items}, fields)
        if not any_rows:
            raise ExportUnreadable("file.no-rows", "文件只有表头，没有数据行",
                                   "the file has a header but no rows", row=start - 1)

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
