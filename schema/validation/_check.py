"""Models and rules applied to decoded documents, findings placed in the file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from schema.documents import DocumentType
from schema.issues import Issue
from schema.models._base import StandardModel
from schema.rules import check_batch_count, check_notice, check_record, check_report
from schema.schemacheck import validate_model
from schema.validation._result import FileResult, ValidationOptions

#: Maps a path relative to the checked part to a line of the file, when known.
LineOf = Callable[[str], int | None]


def _no_line(path: str) -> int | None:
    return None


class DocumentChecker:
    """Checks the parts of one document and records what it finds in a :class:`FileResult`."""

    def __init__(self, doc_type: DocumentType, options: ValidationOptions,
                 result: FileResult) -> None:
        self.doc_type = doc_type
        self.options = options
        self.result = result
        #: Added to every line found, when the checked text is a slice of the file.
        self.line_offset = 0
        #: Where the batch header declares its reportCount, once the header is checked.
        self.count_line: int | None = None

    def record(self, issues: list[Issue], prefix: str, line_of: LineOf) -> None:
        for issue in issues:
            line = line_of(issue.path)
            if line is not None:
                line += self.line_offset
            self.result.add(issue.at(path_prefix=prefix, line=line), self.options)

    def document(self, data: Any, line_of: LineOf = _no_line,
                 *, schema_checked: bool = False) -> StandardModel | None:
        """A whole non-batch document (PersonRecord or ChangeReport)."""
        model, issues = validate_model(self.doc_type.model, data)
        if model is not None:
            issues = self.rules(model)
        elif schema_checked:
            issues = [i for i in issues if i.rule != "schema"] or issues
        self.record(issues, "", line_of)
        self.result.documents += 1
        return model

    def rules(self, model: StandardModel) -> list[Issue]:
        if self.doc_type.name == "PersonRecord":
            return check_record(model, today=self.options.reference_date())  # type: ignore[arg-type]
        if self.doc_type.name == "DepartmentNotice":
            return check_notice(model, today=self.options.reference_date())  # type: ignore[arg-type]
        return check_report(model)  # type: ignore[arg-type]

    def report(self, index: int, data: Any, line_of: LineOf = _no_line,
               *, keep_schema_issues: bool = True) -> None:
        """One report of a batch."""
        model, issues = validate_model(self.doc_type.report_model, data)
        if model is not None:
            issues = check_report(model)  # type: ignore[arg-type]
        elif not keep_schema_issues:
            issues = []
        self.record(issues, f"reports[{index}]", line_of)
        self.result.documents += 1

    def header(self, data: Any, line_of: LineOf = _no_line) -> int | None:
        """The batch header; returns the declared report count when it is valid."""
        model, issues = validate_model(self.doc_type.header_model, data)
        self.record(issues, "", line_of)
        self.count_line = line_of("reportCount")
        return getattr(model, "report_count", None)

    def count(self, declared: int | None, actual: int) -> None:
        """``batch.count``, placed on the header's reportCount."""
        if declared is not None:
            self.record(check_batch_count(declared, actual), "", lambda _: self.count_line)
