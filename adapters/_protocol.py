"""The one interface every department adapter implements, and what flows through it.

Rows, drafts and taken rows are named tuples: millions are made, and they are cheap.
An adapter reads its department's export and turns each row into notice drafts; the runner
(:mod:`adapters._run`) gives each draft its content-derived id, validates it against the
standard and its rules, and reports every refused row. ::

    export = adapter.open(stream, file_name)       # an ExportReader over the bytes
    for item in export.rows():                     # Row, or RowError for an unreadable row
        drafts = adapter.notices(row)              # raises RowRefused
    export.rejects(out)                            # a RejectsWriter in the input's own format
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, BinaryIO, NamedTuple, Protocol, runtime_checkable

from adapters._chunks import Chunk
from schema.codes import ChangeType, Department
from schema.issues import Severity


class Row(NamedTuple):
    """One row (record) of an export: the line it starts on and its fields by column.

    Readers clean the values (:func:`adapters._values.clean`): stripped, full-width ASCII
    and spaces made half-width. An optional column the file lacks is absent: read it with
    ``values.get(name, "")``.
    """

    number: int
    values: Mapping[str, str]
    #: The row as read, for the rejects file (CSV fields, fixed-width bytes, XML element);
    #: it need only stay valid until the next row is read.
    raw: Any = None


@dataclass(frozen=True, slots=True)
class RowError:
    """A located finding: file, row, column, rule id and a bilingual message.

    Severity ``error`` means the row was refused (and written to the rejects file);
    ``warning`` means it was taken, or skipped as a repeat, with a remark.
    """

    file: str
    row: int | None
    column: str | None
    rule: str
    message_zh: str
    message_en: str
    severity: Severity = Severity.ERROR
    raw: Any = field(default=None, compare=False, repr=False)

    @property
    def message(self) -> str:
        return f"{self.message_zh} / {self.message_en}"

    def to_json(self) -> dict[str, object]:
        return {"file": self.file, "row": self.row, "column": self.column, "rule": self.rule,
                "severity": self.severity.value, "message": self.message}


class NoticeDraft(NamedTuple):
    """What an adapter knows for one notice, in wire form (keys and values as in the
    standard, dates as :class:`datetime.date` or ``YYYY-MM-DD``); the runner adds
    ``noticeId``, ``department`` and ``source``."""

    change_type: ChangeType
    effective_date: dt.date | str
    region: str
    subject: tuple[str, str]
    record: dict[str, Any]
    record_number: str | None = None
    #: Where each wire path came from, for locating rule findings (``record.birthDate``).
    columns: Mapping[str, str] = MappingProxyType({})


class RejectsWriter(Protocol):
    """Writes refused rows back in the input's own format, with a reason column."""

    def write(self, row: Any, reason: str) -> None: ...

    def close(self) -> None: ...


class ExportReader(Protocol):
    """One export file being read."""

    def rows(self) -> Iterator[Row | RowError]:
        """Every row in file order; unreadable rows as :class:`RowError`. Raises
        :class:`~adapters.errors.ExportUnreadable` when the file as a whole is unusable."""
        ...

    def rejects(self, stream: BinaryIO) -> RejectsWriter:
        """A writer of refused rows in this file's format and encoding."""
        ...


@runtime_checkable
class SplittableReader(ExportReader, Protocol):
    """A reader of a line-based export that can be cut into chunks of whole records, so
    that a large file is read on every core. Optional: readers without it are read in order.
    """

    def chunks(self, size: int) -> Iterator[Chunk]:
        """The records in chunks of about ``size`` bytes, in file order (the stream must be
        seekable). Raises :class:`~adapters.errors.ExportUnreadable` as ``rows`` would."""
        ...

    def resume(self, first_line: int, stream: BinaryIO) -> ExportReader:
        """A reader of one chunk's records: ``stream`` starts at file line ``first_line``.
        Its ``rows`` does not complain that the chunk has no rows."""
        ...


@runtime_checkable
class RawKeeper(Protocol):
    """A reader whose rows' ``raw`` records do not outlive the next row (XML elements are
    cleared): it can make a copy that does, which its rejects writer takes too. Optional:
    without it, ``raw`` is kept as it is."""

    def keep_raw(self, raw: Any) -> Any:
        """A copy of a row's ``raw`` that lasts, and can be sent to another process."""
        ...


@runtime_checkable
class Adapter(Protocol):
    """A department's export format ↔ department notices (DESIGN §3 ``DepartmentNotice``)."""

    #: The name users pass to ``yipanqi import --adapter``: the entry-point name.
    name: str
    department: Department
    title_zh: str
    title_en: str
    #: The usual file suffix of the export (``.csv``, ``.xml``, ``.txt``).
    suffix: str

    def open(self, stream: BinaryIO, file: str) -> ExportReader:
        """Start reading an export; ``file`` names it in errors and notices."""
        ...

    def notices(self, row: Row) -> Sequence[NoticeDraft]:
        """The notices a row makes; :class:`~adapters.errors.RowRefused` if it makes none."""
        ...
