"""Validate JSON documents, streaming the reports of a batch one by one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from schema.documents import DocumentType, document_type
from schema.errors import MalformedDocument
from schema.issues import Issue, Severity
from schema.jsonstream import JsonObjectStream, MemberMode, TextSpan
from schema.validation._check import DocumentChecker
from schema.validation._result import FileResult, ProgressCallback, ValidationOptions
from schema.validation._source import Source

_DISCRIMINATORS = ("type", "schemaVersion")


@dataclass
class _Members:
    values: dict[str, Any] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    spans: dict[str, TextSpan] = field(default_factory=dict)
    reports_skipped: bool = False

    def doc_type(self) -> DocumentType | None:
        name, version = self.values.get("type"), self.values.get("schemaVersion")
        if name is None or version is None:
            return None
        if not isinstance(name, str) or not isinstance(version, str):
            raise MalformedDocument('"type" and "schemaVersion" must be strings')
        return document_type(name, version)

    def line_of(self, path: str) -> int | None:
        """The line of a field: found inside its top-level member's text when kept."""
        head = path.split(".", 1)[0].split("[", 1)[0]
        span = self.spans.get(head)
        if span is not None:
            return span.line_of(path[len(head):])
        return self.lines.get(head) or self.lines.get("type")

    def body(self) -> dict[str, Any]:
        return {k: v for k, v in self.values.items() if k not in _DISCRIMINATORS}


def _fixed_line(line: int) -> Callable[[str], int | None]:
    return lambda _path: line


class JsonValidation:
    """One pass (two when the reports precede ``type``) over a JSON document."""

    def __init__(self, source: Source, options: ValidationOptions, result: FileResult,
                 progress: ProgressCallback | None) -> None:
        self.source = source
        self.options = options
        self.result = result
        self.progress = progress
        self.members = _Members()
        self.checker: DocumentChecker | None = None
        self.reports = 0
        self.declared: int | None = None

    def _start(self) -> DocumentChecker | None:
        if self.checker is None:
            doc_type = self.members.doc_type()
            if doc_type is not None:
                self.checker = DocumentChecker(doc_type, self.options, self.result)
                self.checker.line_offset = self.source.line_offset
                self.result.document_type = doc_type.name
                self.result.schema_version = doc_type.version.value
        return self.checker

    def _mode(self, key: str) -> MemberMode:
        if key != "reports":
            return "value"
        if self._start() is None:
            self.members.reports_skipped = True
            return "skip"
        return "stream"

    def _pass(self, mode: Any, collect: bool) -> None:
        with self.source.open() as raw:
            stream = JsonObjectStream(raw, self.progress)
            for kind, key, value, line in stream.events(mode):
                span = stream.last_span
                if kind == "item" and self.checker is not None:
                    self.checker.report(self.reports, value,
                                        span.line_of if span else _fixed_line(line))
                    self.reports += 1
                elif kind == "member" and collect:
                    self.members.values[key] = value
                    self.members.lines[key] = line
                    if span is not None:
                        self.members.spans[key] = span

    def run(self) -> None:
        self._pass(self._mode, collect=True)
        checker = self._start()
        if checker is None:
            raise MalformedDocument('a JSON document needs "type" and "schemaVersion"')
        if self.members.reports_skipped:  # the reports came before "type": read them again
            self._pass(lambda key: "stream" if key == "reports" else "skip", collect=False)
        if checker.doc_type.name != "ChangeReportBatch":
            checker.document(self.members.body(), self.members.line_of)
        elif self.source.first:
            self._finish_batch(checker)

    def _finish_batch(self, checker: DocumentChecker) -> None:
        header = self.members.body()
        if "reports" in header or not self.reports:
            header.pop("reports", None)
            checker.record([Issue("schema", Severity.ERROR, "reports",
                                  "reports 必须是非空的报告单数组",
                                  "reports must be a non-empty array of change reports")],
                           "", self.members.line_of)
        self.declared = checker.header(header, self.members.line_of)
        if self.source.is_whole_file:
            checker.count(self.declared, self.reports)


def validate_json(path: str, options: ValidationOptions, result: FileResult,
                  progress: ProgressCallback | None) -> None:
    JsonValidation(Source(path), options, result, progress).run()
