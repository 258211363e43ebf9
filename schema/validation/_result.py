"""What validating one file found."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from schema.issues import Issue, Severity

#: Called with the number of bytes of the file read so far.
ProgressCallback = Callable[[int], None]

#: At most this many findings are kept per file; the count of the rest is still reported.
MAX_ISSUES = 1000


@dataclass(frozen=True, slots=True)
class ValidationOptions:
    strict: bool = False
    today: dt.date | None = None

    def reference_date(self) -> dt.date:
        return self.today or dt.date.today()


@dataclass(slots=True)
class FileResult:
    """The verdict on one file, with every located finding."""

    file: str
    format: str | None = None
    schema_version: str | None = None
    document_type: str | None = None
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    documents: int = 0
    #: Findings beyond :data:`MAX_ISSUES`, counted but not kept; errors among them too.
    dropped: int = 0
    dropped_errors: int = 0

    @property
    def valid(self) -> bool:
        return not self.errors and not self.dropped_errors

    def add(self, issue: Issue, options: ValidationOptions) -> None:
        if issue.severity is not Severity.ERROR and options.strict:
            issue = issue.as_error()
        is_error = issue.severity is Severity.ERROR
        if len(self.errors) + len(self.warnings) >= MAX_ISSUES:
            self.dropped += 1
            self.dropped_errors += is_error
            return
        (self.errors if is_error else self.warnings).append(issue)

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "valid": self.valid,
            "format": self.format,
            "schemaVersion": self.schema_version,
            "documentType": self.document_type,
            "errors": [i.to_json() for i in self.errors],
            "warnings": [i.to_json() for i in self.warnings],
        }
