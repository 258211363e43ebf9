"""Running an adapter over bytes in memory, for the adapter tests."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from adapters import ExportImport, ImportSummary, RowError, Taken, get_adapter
from schema.models.v2 import DepartmentNotice

TODAY = dt.date(2010, 4, 30)


@dataclass
class Outcome:
    summary: ImportSummary
    notices: list[DepartmentNotice] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)

    def rules(self) -> list[tuple[int | None, str | None, str]]:
        return [(e.row, e.column, e.rule) for e in self.errors]


def run(adapter: str, data: bytes, name: str = "export") -> Outcome:
    """Every notice and finding of ``data`` read by the adapter called ``adapter``."""
    job = ExportImport(get_adapter(adapter), io.BytesIO(data), name, today=TODAY)
    outcome = Outcome(job.summary)
    for item in job:
        if isinstance(item, Taken):
            outcome.notices += item.notices
            outcome.warnings += item.warnings
        else:
            outcome.errors.append(item)
    return outcome


def csv_bytes(header: str, *rows: str, bom: bool = True) -> bytes:
    """A CSV export: UTF-8 with a BOM, or GB18030 without one."""
    text = "\r\n".join([header, *rows]) + "\r\n"
    return b"\xef\xbb\xbf" + text.encode() if bom else text.encode("gb18030")


class Unseekable(io.RawIOBase):
    """Bytes that can only be read forwards, as from a pipe."""

    def __init__(self, data: bytes) -> None:
        self.data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        return self.data.readinto(buffer)


def failing_after(reader: Any, count: int, error: Exception) -> Any:
    """``reader``, its rows raising ``error`` after ``count`` of them, as a faulty
    third-party reader may."""
    rows = reader.rows

    def failing() -> Iterator[Any]:
        for seen, item in enumerate(rows()):
            if seen == count:
                raise error
            yield item

    reader.rows = failing
    return reader
