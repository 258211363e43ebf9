"""Reading an export through its adapter: notices with content-derived ids, located errors.

Each draft becomes a version 2 :class:`~schema.models.v2.DepartmentNotice` whose id is a
digest of its content (everything but the id and the source), so loading the same file twice
gives the same ids, and a row repeated in the file is skipped as ``row.duplicate``. Each
notice is checked against the schema and the rules; a row is taken only when all its
notices hold, otherwise it is refused with every finding located at its file, row and
column. Nothing is held but the current row and 8 bytes per notice for the repeat check.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO, NamedTuple, cast

from pydantic import ValidationError

from adapters._protocol import Adapter, NoticeDraft, Row, RowError
from adapters._seen import DigestSet
from adapters.errors import ExportUnreadable, RowRefused
from schema.issues import Issue, Severity
from schema.models.v2 import DepartmentNotice
from schema.rules import check_notice
from schema.schemacheck import schema_issues

_FILE_NAME_LIMIT = 100


class Taken(NamedTuple):
    """A row that became notices (its warnings, if any, beside them)."""

    row: Row
    notices: tuple[DepartmentNotice, ...]
    warnings: tuple[RowError, ...] = ()


@dataclass
class ImportSummary:
    """What one import did: rows read, notices made, rows refused by rule."""

    file: str
    rows: int = 0
    notices: int = 0
    duplicates: int = 0
    refused: int = 0
    refused_by_rule: Counter[str] = field(default_factory=Counter)
    warnings_by_rule: Counter[str] = field(default_factory=Counter)
    #: Set when the file as a whole could not be read.
    unreadable: RowError | None = None

    @property
    def complete(self) -> bool:
        """Every row was taken (repeats skipped) and the file was readable."""
        return self.unreadable is None and not self.refused

    def to_json(self) -> dict[str, object]:
        return {"file": self.file, "rows": self.rows, "notices": self.notices,
                "duplicates": self.duplicates, "refused": self.refused,
                "refusedByRule": dict(sorted(self.refused_by_rule.items())),
                "warningsByRule": dict(sorted(self.warnings_by_rule.items())),
                "unreadable": self.unreadable.to_json() if self.unreadable else None}


_PLACEHOLDER_ID = "-"
_NOT_CONTENT = {"notice_id", "source"}


def notice_id(notice: DepartmentNotice) -> str:
    """``GA-`` and 32 hex digits: the BLAKE2b digest of the notice's content in the
    standard's JSON form (model order, no nulls), all but ``noticeId`` and ``source``."""
    content = notice.__pydantic_serializer__.to_json(notice, exclude=_NOT_CONTENT,
                                                     exclude_none=True, by_alias=True)
    digest = hashlib.blake2b(content, digest_size=16).hexdigest()
    return f"{notice.department.value}-{digest}"


class ExportImport:
    """One pass over one export; iterate it for :class:`Taken` rows and :class:`RowError`s."""

    def __init__(self, adapter: Adapter, stream: BinaryIO, file: str, *,
                 today: dt.date | None = None,
                 progress: Callable[[int], None] | None = None) -> None:
        self.adapter = adapter
        self.stream = stream
        self.file = file
        self.source_file = os.path.basename(file)[:_FILE_NAME_LIMIT] or "-"
        self.today = today or dt.date.today()
        self.progress = progress
        self.summary = ImportSummary(file)
        self._department = adapter.department.value
        self._seen = DigestSet()
        self.reader = adapter.open(stream, file) if progress is None else \
            _open_with_progress(adapter, stream, file, progress)

    def __iter__(self) -> Iterator[Taken | RowError]:
        try:
            for item in self.reader.rows():
                if isinstance(item, RowError):
                    self.summary.rows += 1
                    yield self._refused([item])
                    continue
                self.summary.rows += 1
                yield self._row(item)
        except ExportUnreadable as exc:
            error = RowError(self.file, exc.row, exc.column, exc.rule, exc.message_zh,
                             exc.message_en)
            self.summary.unreadable = error
            yield error

    def _row(self, row: Row) -> Taken | RowError:
        try:
            drafts = self.adapter.notices(row)
        except RowRefused as exc:
            return self._refused([self._error(row, exc.column, exc.code, exc.message_zh,
                                              exc.message_en)])
        notices: list[DepartmentNotice] = []
        errors: list[RowError] = []
        warnings: list[RowError] = []
        for draft in drafts:
            notice, issues = self._notice(draft, row)
            for found in issues:
                error = self._error(row, _column(draft, found.path), found.rule,
                                    found.message_zh, found.message_en, found.severity)
                (errors if found.severity is Severity.ERROR else warnings).append(error)
            if notice is not None:
                notices.append(notice)
        if errors:
            return self._refused(errors)
        return self._taken(row, notices, warnings)

    def _notice(self, draft: NoticeDraft, row: Row
                ) -> tuple[DepartmentNotice | None, list[Issue]]:
        source: dict[str, Any] = {"file": self.source_file, "row": row.number}
        if draft.record_number:
            source["recordNumber"] = draft.record_number
        wire = {
            "noticeId": _PLACEHOLDER_ID,
            "department": self._department,
            "region": draft.region,
            "changeType": draft.change_type,
            "effectiveDate": draft.effective_date,
            "source": source,
            "subject": {"idNumber": draft.subject[0], "name": draft.subject[1]},
            "record": draft.record,
        }
        try:
            notice = DepartmentNotice.model_validate(wire)
        except ValidationError as exc:
            return None, schema_issues(exc)
        # The id is a digest of the validated notice itself; setting it on the fresh,
        # unshared model (a field pydantic keeps in __dict__) spares a copy per row.
        notice.__dict__["notice_id"] = notice_id(notice)
        return notice, check_notice(notice, today=self.today)

    def _taken(self, row: Row, notices: Sequence[DepartmentNotice],
               warnings: list[RowError]) -> Taken | RowError:
        fresh = tuple(n for n in notices
                      if self._seen.add(int(n.notice_id[-16:], 16) or 1))
        if not fresh:
            self.summary.duplicates += 1
            duplicate = self._error(row, None, "row.duplicate", "与前面某行内容相同，已跳过",
                                    "the same as an earlier row: skipped", Severity.WARNING)
            warnings = [duplicate]
        self.summary.notices += len(fresh)
        for warning in warnings:
            self.summary.warnings_by_rule[warning.rule] += 1
        return Taken(row, fresh, tuple(warnings))

    def _refused(self, errors: list[RowError]) -> RowError:
        """The first finding stands for the row; the others travel in its message."""
        self.summary.refused += 1
        for error in errors:
            self.summary.refused_by_rule[error.rule] += 1
        first = errors[0]
        if len(errors) == 1:
            return first
        return RowError(first.file, first.row, first.column, first.rule,
                        "；".join(_located_zh(e) for e in errors),
                        "; ".join(_located_en(e) for e in errors), raw=first.raw)

    def _error(self, row: Row, column: str | None, rule: str, zh: str, en: str,
               severity: Severity = Severity.ERROR) -> RowError:
        return RowError(self.file, row.number, column, rule, zh, en, severity, raw=row.raw)


def _located_zh(error: RowError) -> str:
    return f"[{error.rule}{'，' + error.column if error.column else ''}] {error.message_zh}"


def _located_en(error: RowError) -> str:
    return f"[{error.rule}{', ' + error.column if error.column else ''}] {error.message_en}"


def _column(draft: NoticeDraft, path: str) -> str | None:
    """The source column of a wire path, trying ever shorter prefixes."""
    while path:
        column = draft.columns.get(path)
        if column is not None:
            return column
        path = path.rpartition(".")[0] if "." in path else ""
        path = path.split("[", 1)[0] if path.endswith("]") else path
    return None


def _open_with_progress(adapter: Adapter, stream: BinaryIO, file: str,
                        progress: Callable[[int], None]) -> Any:
    return adapter.open(cast(BinaryIO, _CountingStream(stream, progress)), file)


class _CountingStream:
    """A binary stream that reports how many bytes have been read from it."""

    def __init__(self, raw: BinaryIO, progress: Callable[[int], None]) -> None:
        self.raw = raw
        self.progress = progress
        self.done = 0

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self._count(len(data))
        return data

    def readline(self, size: int = -1) -> bytes:
        data = self.raw.readline(size)
        self._count(len(data))
        return data



    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        line = self.raw.readline()
        if not line:
            raise StopIteration
        self._count(len(line))
        return line

    def _count(self, size: int) -> None:
        """Report every MiB, and at the end of the stream."""
        before = self.done >> 20
        self.done += size
        if not size or self.done >> 20 != before:
            self.progress(self.done)
