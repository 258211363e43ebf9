"""Read a top-level JSON object member by member, streaming one array member item by item.

A batch of a million reports is read in constant memory: the reader keeps a window of
the text, decodes each report with the C decoder and drops what it has passed. Lines are
counted as the window moves, so every value comes with the line it starts on.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from schema.errors import MalformedDocument
from schema.jsonsafe import decode_at

#: What to do with a member: decode it whole, stream its array items, or skip it.
MemberMode = Literal["value", "stream", "skip"]
Event = tuple[Literal["member", "open", "item"], str, Any, int]

class ByteReader(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_PATH_SEGMENT = re.compile(r"([A-Za-z]*)(?:\[(\d+)\])?")
_SCANNER = json.JSONDecoder()


def _skip(text: str, position: int) -> int:
    return _WHITESPACE.match(text, position).end()  # type: ignore[union-attr]


def _member_value(text: str, position: int, name: str) -> int | None:
    """Where the value of member ``name`` of the object at ``position`` begins."""
    position = _skip(text, position)
    if text[position:position + 1] != "{":
        return None
    position += 1
    try:
        while True:
            position = _skip(text, position)
            key, position = _SCANNER.raw_decode(text, position)
            position = _skip(text, _skip(text, position) + 1)  # past the colon
            if key == name:
                return position
            position = _skip(text, _SCANNER.raw_decode(text, position)[1])
            if text[position:position + 1] != ",":
                return None
            position += 1
    except (ValueError, RecursionError):
        return None


def _item_value(text: str, position: int, index: int) -> int | None:
    """Where item ``index`` of the array at ``position`` begins."""
    position = _skip(text, position)
    if text[position:position + 1] != "[":
        return None
    position += 1
    try:
        for _ in range(index):
            position = _skip(text, _SCANNER.raw_decode(text, _skip(text, position))[1])
            if text[position:position + 1] != ",":
                return None
            position += 1
    except (ValueError, RecursionError):
        return None
    return _skip(text, position)



@dataclass(frozen=True, slots=True)
class TextSpan:
    """A decoded value's text: ``text[start:end]``, which begins on file line ``line``."""

    text: str
    start: int
    end: int
    line: int

    def line_of(self, path: str) -> int:
        """The line of the field at ``path`` (``record.children[0].sex``) in this value,
        or of the deepest part of the path that exists."""
        position = self.start
        for name, index in _PATH_SEGMENT.findall(path):
            if not name and not index:
                continue
            found = _member_value(self.text, position, name) if name else None
            if found is None and name:
                break
            position = found if found is not None else position
            if index:
                item = _item_value(self.text, position, int(index))
                if item is None:
                    break
                position = item
        return self.line + self.text.count("\n", self.start, position)
CHUNK = 1 << 20
#: Largest single value (one report) the reader will buffer.
MAX_VALUE_CHARS = 16 * 1024 * 1024


class JsonObjectStream:
    """Events of one top-level JSON object read from a binary stream."""

    def __init__(self, raw: ByteReader, progress: Callable[[int], None] | None = None) -> None:
        self._raw = raw
        self._progress = progress
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="strict")
        self._buf = ""
        self._pos = 0
        self._eof = False
        self._bytes = 0
        self._line = 1  # line of self._counted
        self._counted = 0
        self._first_line = 1  # line of self._buf[0]
        self._dropped_bytes = 0  # bytes of the file before self._buf[0]
        self._checked_bom = False
        #: Where the last value decoded lies, to locate fields inside it on demand.
        self.last_span: TextSpan | None = None

    # -- the text window --------------------------------------------------------------
    def _fill(self) -> None:
        if self._eof:
            return
        chunk = self._raw.read(CHUNK)
        self._bytes += len(chunk)
        self._eof = not chunk
        try:
            text = self._decoder.decode(chunk, final=self._eof)
        except UnicodeDecodeError as exc:
            raise MalformedDocument(f"JSON must be UTF-8: {exc.reason} near byte "
                                    f"{self._bytes - len(chunk) + exc.start}") from None
        if self._pos > CHUNK:
            self._advance_line()
            self._first_line += self._buf.count("\n", 0, self._pos)
            self._dropped_bytes += len(self._buf[:self._pos].encode())
            self._buf = self._buf[self._pos:]
            self._counted -= self._pos
            self._pos = 0
        if not self._checked_bom:
            self._checked_bom = True
            if chunk.startswith(codecs.BOM_UTF8):
                self._dropped_bytes += len(codecs.BOM_UTF8)
        self._buf += text
        if self._progress is not None:
            self._progress(self._bytes)

    def _advance_line(self) -> None:
        self._line += self._buf.count("\n", self._counted, self._pos)
        self._counted = self._pos

    @property
    def byte_position(self) -> int:
        """The offset in the file of the current position."""
        return self._dropped_bytes + len(self._buf[:self._pos].encode())

    @property
    def line(self) -> int:
        """The line of the current position."""
        self._advance_line()
        return self._line

    def _peek(self) -> str | None:
        while True:
            self._pos = _WHITESPACE.match(self._buf, self._pos).end()  # type: ignore[union-attr]
            if self._pos < len(self._buf):
                return self._buf[self._pos]
            if self._eof:
                return None
            self._fill()

    def _expect(self, char: str) -> None:
        found = self._peek()
        if found != char:
            what = repr(found) if found is not None else "end of file"
            raise MalformedDocument(f"line {self.line}: expected {char!r}, found {what}")
        self._pos += 1

    def _value(self) -> Any:
        self._peek()
        while True:
            try:
                value, end = decode_at(self._buf, self._pos, self._first_line)
            except MalformedDocument:
                if self._eof:
                    raise
                if len(self._buf) - self._pos > MAX_VALUE_CHARS:
                    raise MalformedDocument(
                        f"line {self.line}: value larger than {MAX_VALUE_CHARS} characters"
                    ) from None
                self._fill()
                continue
            if end >= len(self._buf) and not self._eof:
                self._fill()  # a number may continue in the next chunk
                continue
            self.last_span = TextSpan(self._buf, self._pos, end, self.line)
            self._pos = end
            return value

    # -- the object -------------------------------------------------------------------
    def events(self, mode: Callable[[str], MemberMode]) -> Iterator[Event]:
        """``("member", key, value, line)`` per member; for a streamed array
        ``("open", key, None, line)`` once its ``[`` is read, then ``("item", key, value,
        line)`` per item. Duplicate keys and trailing data are refused."""
        self._fill()
        self._expect("{")
        seen: set[str] = set()
        if self._peek() == "}":
            self._pos += 1
        else:
            while True:
                self._peek()
                line = self.line
                key = self._value()
                if not isinstance(key, str):
                    raise MalformedDocument(f"line {line}: object keys must be strings")
                if key in seen:
                    raise MalformedDocument(f"line {line}: duplicate key {key!r}")
                seen.add(key)
                self._expect(":")
                yield from self._member(key, mode(key), line)
                if self._peek() == ",":
                    self._pos += 1
                    continue
                self._expect("}")
                break
        if self._peek() is not None:
            raise MalformedDocument(f"line {self.line}: extra data after the JSON object")

    def _member(self, key: str, mode: MemberMode, line: int) -> Iterator[Event]:
        if mode == "value" or self._peek() != "[":
            value = self._value()
            if mode != "skip":
                yield "member", key, value, line
            return
        self._pos += 1
        if self._peek() == "]":
            self._pos += 1
            yield "member", key, [], line
            return
        if mode == "stream":
            yield "open", key, None, line
        while True:
            self._peek()
            item_line = self.line
            value = self._value()
            if mode == "stream":
                yield "item", key, value, item_line
            if self._peek() == ",":
                self._pos += 1
                continue
            self._expect("]")
            return
