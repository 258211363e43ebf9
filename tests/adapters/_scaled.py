"""A department's sample export scaled up to any number of rows, written in blocks.

The sample is cut where its adapter's reader says records start: the lines above the first
record (a CSV's title lines and header, the XML declaration and root start tag) are written
once, then the records (each with the blank lines that follow it) over and over, in the
sample's own bytes and so its own encoding, then, for XML, the root's end tag. A line
format's rows are its lines; an XML record spans the lines from its start tag to the next.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from itertools import cycle, islice, pairwise
from pathlib import Path

from adapters import Adapter, RowError

#: Bytes gathered before each write.
_BLOCK = 1 << 20


@dataclass(frozen=True)
class Scalable:
    """A sample cut into what comes before its records, the records, and what follows."""

    head: bytes
    records: tuple[bytes, ...]
    tail: bytes


def cut(adapter: Adapter, data: bytes) -> Scalable:
    """``data``, an export ``adapter`` reads, cut at the lines its records start on."""
    starts = sorted({number for item in adapter.open(io.BytesIO(data), "sample").rows()
                     if (number := item.row if isinstance(item, RowError) else item.number)})
    lines = data.splitlines(keepends=True)
    if lines and not lines[-1].endswith(b"\n"):
        lines[-1] += b"\r\n"
    ends = len(lines)
    if adapter.suffix == ".xml":  # the root's end tag, and anything after it
        ends = max(i for i, line in enumerate(lines) if line.startswith(b"</"))
    bounds = [s - 1 for s in starts] + [ends]
    assert starts and bounds == sorted(bounds), (starts, ends)
    return Scalable(b"".join(lines[: bounds[0]]),
                    tuple(b"".join(lines[a:b]) for a, b in pairwise(bounds)),
                    b"".join(lines[ends:]))


def rows_filling(sample: Scalable, size: int) -> int:
    """The fewest whole turns of ``sample``'s records, in rows, that take ``size`` bytes."""
    turn = sum(map(len, sample.records))
    return -(-size // turn) * len(sample.records)


def write(path: Path, sample: Scalable, rows: int) -> None:
    """``rows`` records of ``sample``, in turn, between its head and tail."""
    with open(path, "wb") as stream:
        stream.write(sample.head)
        block: list[bytes] = []
        size = 0
        for record in islice(cycle(sample.records), rows):
            block.append(record)
            size += len(record)
            if size >= _BLOCK:
                stream.write(b"".join(block))
                block.clear()
                size = 0
        stream.write(b"".join(block))
        stream.write(sample.tail)
