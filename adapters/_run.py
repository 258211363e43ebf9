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
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO, NamedTuple, cast

from pydantic import ValidationError

from adapters._protocol import (
    Adapter,
    ExportReader,
    NoticeDraft,
    RejectsWriter,
    Row,
    RowError,
)
from adapters._seen import DigestSet
from adapters.errors import ExportUnreadable, RowRefused
from schema.issues import Issue, Severity
from schema.models.v2 import DepartmentNotice
from schema.rules import check_notice
from schema.schemacheck import schema_issues

_FILE_NAME_LIMIT = 100


class Taken(NamedTuple):
    """A row that became notices (its warnings, if any, beside them): the notices not seen
    earlier in the file, each with its JSON document (see :func:`identify`)."""

    row: Row
    notices: tuple[DepartmentNotice, ...]
    warnings: tuple[RowError, ...] = ()
    documents: tuple[bytes, ...] = ()


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


#: ``DepartmentNotice.model_validate`` without its Python wrapper: one call per row.
_validate_notice = DepartmentNotice.__pydantic_validator__.validate_python
_PLACEHOLDER_ID = "-"
_NOT_CONTENT = {"notice_id", "source"}
#: How the standard's JSON form of a notice begins: what ``to_json_object`` puts first.
DOCUMENT_HEAD = b'{"type":"DepartmentNotice","schemaVersion":"2",'
_ID_HEAD = b'{"noticeId":"' + _PLACEHOLDER_ID.encode() + b'",'
_DEPARTMENT_AT = len(b'"department":"')


def notice_id(notice: DepartmentNotice) -> str:
    """``GA-`` and 32 hex digits: the BLAKE2b digest of the notice's content in the
    standard's JSON form (model order, no nulls), all but ``noticeId`` and ``source``."""
    content = notice.__pydantic_serializer__.to_json(notice, exclude=_NOT_CONTENT,
                                                     exclude_none=True, by_alias=True)
    digest = hashlib.blake2b(content, digest_size=16).hexdigest()
    return f"{notice.department.value}-{digest}"


def identify(notice: DepartmentNotice) -> bytes:
    """Give a fresh notice (``noticeId`` still ``-``) its :func:`notice_id`, and return its
    JSON document (``type`` and ``schemaVersion`` first, compact, no nulls).

    One serialisation serves both: the content :func:`notice_id` digests is the document
    without its ``noticeId`` and ``source`` members, which stand before ``subject``, after
    the codes and dates that open a notice, so the first ``"source":`` and the first
    ``,"subject":`` after it are the members themselves (a quote inside a string is escaped);
    the department code is read from the document too (the member after ``noticeId``).
    """
    full = notice.__pydantic_serializer__.to_json(notice, exclude_none=True, by_alias=True)
    if not full.startswith(_ID_HEAD):
        raise ValueError(f"the notice already has an id: {notice.notice_id!r}")
    head = len(_ID_HEAD)
    source = full.index(b'"source":', head)
    subject = full.index(b',"subject":', source)
    department = full[head + _DEPARTMENT_AT:full.index(b'"', head + _DEPARTMENT_AT)]
    digest = hashlib.blake2b(b"{" + full[head:source] + full[subject + 1:], digest_size=16)
    identifier = department + b"-" + digest.hexdigest().encode()
    # The model is fresh and unshared: setting the field pydantic keeps in __dict__
    # spares a copy per row.
    notice.__dict__["notice_id"] = identifier.decode()
    return b"".join((DOCUMENT_HEAD, b'"noticeId":"', identifier, b'",', full[head:]))


def digest_of(notice_id: str) -> int:
    """The 64 bits of a notice id the repeat check keeps (never 0)."""
    return int(notice_id[-16:], 16) or 1


class Made(NamedTuple):
    """The notices a row made, each with its JSON document, and the row's warnings."""

    row: Row
    notices: tuple[DepartmentNotice, ...]
    documents: tuple[bytes, ...]
    warnings: tuple[RowError, ...]


class Refusal(NamedTuple):
    """A refused row: the finding that stands for it and the rule of every finding."""

    error: RowError
    rules: tuple[str, ...]


class NoticeMaker:
    """Turns rows into notices: each draft validated against the standard and its rules.

    It keeps no state between rows, so it can run in several processes at once.
    """

    def __init__(self, adapter: Adapter, file: str, today: dt.date) -> None:
        self.adapter = adapter
        self.file = file
        self.source_file = readable_name(os.path.basename(file))[:_FILE_NAME_LIMIT] or "-"
        self.today = today
        self._department = adapter.department.value

    def make(self, item: Row | RowError) -> Made | Refusal:
        if isinstance(item, RowError):
            return Refusal(item, (item.rule,))
        row = item
        try:
            # Whole here: an adapter may give its drafts lazily, and fail or refuse on the way.
            drafts = tuple(self.adapter.notices(row))
        except RowRefused as exc:
            error = self._error(row, exc.column, exc.code, exc.message_zh, exc.message_en)
            return Refusal(error, (error.rule,))
        except Exception as exc:  # noqa: BLE001 - an adapter's fault costs its row alone
            failure = _failure(exc)
            name = self.adapter.name
            error = self._error(row, None, "row.adapter-failed",
                                f"适配器“{name}”处理该行时出错：{failure}",
                                f"the adapter {name!r} failed on this row: {failure}")
            return Refusal(error, (error.rule,))
        notices: list[DepartmentNotice] = []
        documents: list[bytes] = []
        errors: list[RowError] = []
        warnings: list[RowError] = []
        for draft in drafts:
            lost = bool(draft.record_number) and _looks_scientific(draft.record_number or "")
            notice, issues = self._notice(draft, row, keep_number=not lost)
            if draft.subject[0].endswith(_ZERO_FILLED):
                issues.append(_zero_filled(draft.subject[0]))
            if lost and draft is drafts[0]:  # one row, one number: told once
                issues.append(_record_number_lost(draft.record_number or ""))
            for found in issues:
                error = self._error(row, _column(draft, found.path), found.rule,
                                    found.message_zh, found.message_en, found.severity)
                (errors if found.severity is Severity.ERROR else warnings).append(error)
            if notice is not None:
                notices.append(notice)
                documents.append(identify(notice))
        if errors:
            return _refusal(errors)
        return Made(row, tuple(notices), tuple(documents), tuple(warnings))

    def _notice(self, draft: NoticeDraft, row: Row, *, keep_number: bool = True
                ) -> tuple[DepartmentNotice | None, list[Issue]]:
        source: dict[str, Any] = {"file": self.source_file, "row": row.number}
        if draft.record_number and keep_number:
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
            notice = cast(DepartmentNotice, _validate_notice(wire))
        except ValidationError as exc:
            return None, schema_issues(exc)
        return notice, check_notice(notice, today=self.today)

    def _error(self, row: Row, column: str | None, rule: str, zh: str, en: str,
               severity: Severity = Severity.ERROR) -> RowError:
        return RowError(self.file, row.number, column, rule, zh, en, severity, raw=row.raw)


def readable_name(name: str) -> str:
    """A file name as text: one whose bytes are not UTF-8 (Python keeps them as surrogate
    escapes, which no document may hold) is read as GB18030, the name a Chinese Windows
    gave it, else with U+FFFD for what cannot be read."""
    if name.isascii():
        return name
    raw = os.fsencode(name)
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")


#: How an ID number ends that a spreadsheet stored as a number: it keeps 15 digits.
_ZERO_FILLED = "000"


def _zero_filled(number: str) -> Issue:
    """A remark, not a refusal: about one real number in a thousand ends so too."""
    return Issue("row.id-zero-filled", Severity.WARNING, "subject.idNumber",
                 f"身份证号码“{number}”以 000 结尾，表格软件把该列存为数字时会这样截去后三位；"
                 "请与原始记录核对",
                 f"the ID number {number!r} ends in 000, as numbers a spreadsheet stored as "
                 "numbers do (it keeps 15 digits): check it against the source")


#: A long number a spreadsheet wrote in scientific notation (``4.10103E+14``): a mantissa
#: with a point, or an exponent with its sign, so that codes such as ``2E10`` stay codes.
_SCIENTIFIC_RE = re.compile(r"[0-9]\.[0-9]+E\+?[0-9]+|[0-9]E\+[0-9]+", re.IGNORECASE)


def _looks_scientific(number: str) -> bool:
    # Most numbers hold no E: the regex runs for the others only (notices by the million).
    return ("E" in number or "e" in number) and _SCIENTIFIC_RE.fullmatch(number) is not None


def _record_number_lost(number: str) -> Issue:
    """A remark, not a refusal: the source's own number is a reference, not the notice."""
    return Issue("row.record-number-scientific", Severity.WARNING, "source.recordNumber",
                 f"编号“{number}”被表格软件改成了科学计数法，后几位已丢失，未写入通知；"
                 "请把该列设为文本格式后重新导出",
                 f"the record number {number!r} was turned into scientific notation by a "
                 "spreadsheet and its last digits are lost: left out of the notice; export "
                 "the column as text")


def _refusal(errors: list[RowError]) -> Refusal:
    """The first finding stands for the row; the others travel in its message."""
    rules = tuple(error.rule for error in errors)
    first = errors[0]
    if len(errors) == 1:
        return Refusal(first, rules)
    return Refusal(RowError(first.file, first.row, first.column, first.rule,
                            "；".join(_located_zh(e) for e in errors),
                            "; ".join(_located_en(e) for e in errors), raw=first.raw), rules)


class Tally:
    """The import's summary, and the repeat check over every notice so far."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.summary = ImportSummary(file)
        self._seen = DigestSet()

    def refused(self, refusal: Refusal) -> RowError:
        summary = self.summary
        summary.rows += 1
        summary.refused += 1
        for rule in refusal.rules:
            summary.refused_by_rule[rule] += 1
        return refusal.error

    def fresh(self, digests: Iterable[int]) -> list[bool]:
        """Which of these notices were not seen before (and now are)."""
        add = self._seen.add
        return [add(digest) for digest in digests]

    def taken(self, row: int, notices: int, warnings: tuple[RowError, ...], *,
              raw: Any = None) -> tuple[RowError, ...]:
        """Count a row with ``notices`` fresh notices; its warnings, or the repeat warning
        when no notice of it was fresh."""
        summary = self.summary
        summary.rows += 1
        if not notices:
            summary.duplicates += 1
            warnings = (RowError(self.file, row, None, "row.duplicate",
                                 "与前面某行内容相同，已跳过",
                                 "the same as an earlier row: skipped", Severity.WARNING,
                                 raw=raw),)
        summary.notices += notices
        for warning in warnings:
            summary.warnings_by_rule[warning.rule] += 1
        return warnings


class ExportImport:
    """One pass over one export, in order, in this process; iterate it for :class:`Taken`
    rows and refused rows (:class:`RowError`)."""

    def __init__(self, adapter: Adapter, stream: BinaryIO, file: str, *,
                 today: dt.date | None = None,
                 progress: Callable[[int], None] | None = None) -> None:
        self.adapter = adapter
        self.stream = stream
        self.file = file
        self.maker = NoticeMaker(adapter, file, today or dt.date.today())
        self.tally = Tally(file)
        #: What the reader reads: the stream, or a wrapper that reports progress.
        self.source: BinaryIO = stream if progress is None else \
            cast(BinaryIO, _CountingStream(stream, progress))
        try:
            self.reader: ExportReader = adapter.open(self.source, file)
        except OSError:
            raise
        except Exception as exc:  # noqa: BLE001 - told when the rows are asked for
            self.reader = _Unopened(exc if isinstance(exc, ExportUnreadable)
                                    else adapter_failed(adapter, exc))

    @property
    def summary(self) -> ImportSummary:
        return self.tally.summary

    def __iter__(self) -> Iterator[Taken | RowError]:
        try:
            yield from self.taken(self.reader.rows())
        except ExportUnreadable as exc:
            yield self.unreadable(exc)
        except OSError:
            raise
        except Exception as exc:  # noqa: BLE001 - the rows before it are kept
            yield self.unreadable(adapter_failed(self.adapter, exc))

    def taken(self, items: Iterable[Row | RowError]) -> Iterator[Taken | RowError]:
        """Rows made into notices, repeats dropped, counted in the summary."""
        make, tally = self.maker.make, self.tally
        for item in items:
            made = make(item)
            if isinstance(made, Refusal):
                yield tally.refused(made)
                continue
            fresh = tally.fresh(digest_of(n.notice_id) for n in made.notices)
            notices = tuple(n for n, new in zip(made.notices, fresh, strict=True) if new)
            documents = tuple(d for d, new in zip(made.documents, fresh, strict=True) if new)
            warnings = tally.taken(made.row.number, len(notices), made.warnings,
                                   raw=made.row.raw)
            yield Taken(made.row, notices, warnings, documents)

    def unreadable(self, exc: ExportUnreadable) -> RowError:
        """The file as a whole could not be read: noted in the summary."""
        error = RowError(self.file, exc.row, exc.column, exc.rule, exc.message_zh,
                         exc.message_en)
        self.summary.unreadable = error
        return error


class _Unopened:
    """The reader of an export its adapter could not open: it has no rows, only the error."""

    def __init__(self, error: ExportUnreadable) -> None:
        self.error = error

    def rows(self) -> Iterator[Row | RowError]:
        raise self.error

    def rejects(self, stream: BinaryIO) -> RejectsWriter:
        raise self.error


def _failure(exc: Exception) -> str:
    """An adapter's error as a finding quotes it: its type and the start of its text."""
    return f"{type(exc).__name__}: {str(exc)[:200]}"


def adapter_failed(adapter: Adapter, exc: Exception) -> ExportUnreadable:
    """An adapter's reader that raised what it should not: the rest of the file unread."""
    failure = _failure(exc)
    return ExportUnreadable("file.adapter-failed",
                            f"适配器“{adapter.name}”读取文件时出错，其后的行未读取：{failure}",
                            f"the adapter {adapter.name!r} failed reading the file, the rows "
                            f"after that were not read: {failure}")


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


class _CountingStream:
    """A binary stream that reports how far it has been read (its position, after a seek)."""

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

    def seekable(self) -> bool:
        return self.raw.seekable()

    def seek(self, offset: int, whence: int = 0) -> int:
        position = self.raw.seek(offset, whence)
        self.done = position
        return position

    def tell(self) -> int:
        return self.raw.tell()

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
