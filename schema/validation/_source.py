"""A byte source for validation: a whole file, or a slice of it between a prefix and a suffix.

Parallel validation hands each worker a slice of a large batch at report boundaries,
framed by a copy of the batch header before and the closing of the batch after, so that
every slice is a complete document on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO


@dataclass(frozen=True, slots=True)
class Source:
    """Which bytes to read: ``prefix + file[start:end] + suffix`` (``end`` None: to EOF)."""

    path: str
    start: int = 0
    end: int | None = None
    prefix: bytes = b""
    suffix: bytes = b""
    #: Added to a line of this source to get the line in the file (for slices).
    line_offset: int = 0
    #: Whether this source carries the batch header to check (only the first slice does).
    first: bool = True

    def open(self) -> _SourceReader:
        return _SourceReader(self)

    @property
    def is_whole_file(self) -> bool:
        return not (self.start or self.end is not None or self.prefix or self.suffix)


class _SourceReader:
    """File-like ``read()`` over a :class:`Source`."""

    def __init__(self, source: Source) -> None:
        self._handle: IO[bytes] = open(source.path, "rb")  # noqa: SIM115 - closed in close()
        self._handle.seek(source.start)
        self._remaining = None if source.end is None else source.end - source.start
        self._pending = source.prefix
        self._suffix = source.suffix
        self.position = 0

    def read(self, size: int = -1) -> bytes:
        size = size if size > 0 else 1 << 20
        if self._pending:
            data, self._pending = self._pending[:size], self._pending[size:]
        else:
            want = size if self._remaining is None else min(size, self._remaining)
            data = self._handle.read(want) if want else b""
            if self._remaining is not None:
                self._remaining -= len(data)
            if not data:
                data, self._suffix = self._suffix[:size], self._suffix[size:]
        self.position += len(data)
        return data

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> _SourceReader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
