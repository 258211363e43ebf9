"""Cutting a line-based export into chunks of whole records, for reading on every core.

A chunk is cut only after a line feed that ends a record. Where that cannot be told cheaply
(a quoted CSV field running on to the next line), the rest of the stream is handed back
whole, to be read in order as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import BinaryIO, NamedTuple

#: A stretch without a line feed longer than this is not cut (a binary file, say).
_LONGEST_LINE = 16 << 20


class Chunk(NamedTuple):
    """Whole records of an export starting at file line ``first_line``.

    ``data`` None stands for the rest of the stream from there, which could not be cut
    safely: the stream is positioned at its start, to be read in order.
    """

    first_line: int
    data: bytes | None


def cut_chunks(stream: BinaryIO, offset: int, first_line: int, size: int,
               whole_records: Callable[[bytes], bool]) -> Iterator[Chunk]:
    """Chunks of about ``size`` bytes of ``stream`` from byte ``offset`` (line
    ``first_line``); ``whole_records(piece)`` says that every line of a piece is a record."""
    stream.seek(offset)
    pending = b""
    while True:
        block = stream.read(size)
        if not block:
            break
        pending += block
        cut = pending.rfind(b"\n") + 1
        if not cut and len(pending) < _LONGEST_LINE:
            continue
        piece = pending[:cut]
        if not cut or not whole_records(piece):
            stream.seek(offset)
            yield Chunk(first_line, None)
            return
        yield Chunk(first_line, piece)
        first_line += piece.count(b"\n")
        offset += len(piece)
        pending = pending[cut:]
    if pending:
        if not whole_records(pending):
            stream.seek(offset)
            yield Chunk(first_line, None)
            return
        yield Chunk(first_line, pending)


def line_end_offset(stream: BinaryIO, lines: int) -> int:
    """The byte offset just past the ``lines``-th line feed of the stream (from its start)."""
    stream.seek(0)
    consumed, found = 0, 0
    while found < lines:
        block = stream.read(1 << 16)
        if not block:
            break
        position = -1
        while found < lines:
            position = block.find(b"\n", position + 1)
            if position < 0:
                break
            found += 1
        consumed += len(block) if found < lines else position + 1
    return consumed
