"""The adapters' errors, grafted onto the project's error tree (``schema.errors``).

    YipanqiError
    └── AdapterError
        ├── AdapterNotFound (LookupError)   "adapter-not-found"  no adapter of that name
        ├── ExportUnreadable (ValueError)   "export-unreadable"  the file as a whole cannot be read
        ├── ImportWorkerLost (RuntimeError) "import-worker-lost" a worker process died mid-import
        └── RowRefused (ValueError)         the row's rule id    one row cannot become notices

A refused row carries the rule id as its ``code`` (``row.date``, ``id.sex``, …: see
``adapters/README.md``), the column, and a bilingual message; the runner adds the file and
the row and turns it into a :class:`~adapters.RowError`.
"""

from __future__ import annotations

from schema.errors import YipanqiError


class AdapterError(YipanqiError):
    """Root of the adapters' errors."""

    code = "adapter"


class AdapterNotFound(AdapterError, LookupError):
    """No installed adapter has that name."""

    code = "adapter-not-found"


class ExportUnreadable(AdapterError, ValueError):
    """The export cannot be read at all: missing, empty, binary, wrong layout."""

    code = "export-unreadable"

    def __init__(self, rule: str, message_zh: str, message_en: str, *,
                 row: int | None = None, column: str | None = None) -> None:
        super().__init__(message_en)
        self.rule = rule
        self.message_zh = message_zh
        self.message_en = message_en
        self.row = row
        self.column = column

    def __reduce__(self) -> tuple[object, ...]:
        # Raised in an import's worker process, it travels back pickled.
        return (_unreadable, (self.rule, self.message_zh, self.message_en, self.row,
                              self.column))


class ImportWorkerLost(AdapterError, RuntimeError):
    """A process reading part of a large export ended abruptly (killed, out of memory)."""

    code = "import-worker-lost"


class RowRefused(AdapterError, ValueError):
    """One row cannot become notices; ``code`` is the rule id."""

    def __init__(self, rule: str, column: str | None, message_zh: str,
                 message_en: str) -> None:
        super().__init__(message_en)
        self.code = rule
        self.column = column
        self.message_zh = message_zh
        self.message_en = message_en

    def __reduce__(self) -> tuple[object, ...]:
        return (RowRefused, (self.code, self.column, self.message_zh, self.message_en))


def _unreadable(rule: str, message_zh: str, message_en: str, row: int | None,
                column: str | None) -> ExportUnreadable:
    return ExportUnreadable(rule, message_zh, message_en, row=row, column=column)


__all__ = ["AdapterError", "AdapterNotFound", "ExportUnreadable", "ImportWorkerLost",
           "RowRefused"]
