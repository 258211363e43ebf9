"""Validate XML documents: whole when small, streamed when a batch is large.

A large batch is streamed through lxml's iterparse with the XSD plugged in, each report
checked against the model and the rules as it ends and then dropped, so memory stays
flat. Streaming XSD validation reports no line numbers; when it fails, a second pass
validates each part on its own to locate every error.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, partial
from importlib import resources
from typing import IO, Any, cast

from lxml import etree

from schema.artefacts import xml_schema
from schema.codes import SchemaVersion
from schema.documents import DocumentType
from schema.errors import MalformedDocument
from schema.issues import Issue
from schema.validation._check import DocumentChecker
from schema.validation._result import FileResult, ProgressCallback, ValidationOptions
from schema.validation._source import Source
from schema.validation._xmlpaths import line_of_path
from schema.xmlcodec import element_to_dict, header_to_dict, root_document_type, xsd_issues
from schema.xmlsafe import (
    MAX_DOCUMENT_BYTES,
    TailKeeper,
    check_well_formed,
    describe_syntax_error,
    ends_with_end_tag,
    iterparse,
    parse_xml,
    qualified_name,
)

#: Batches up to this size are validated whole, which lists every XSD error at once.
WHOLE_DOCUMENT_LIMIT = 8 * 1024 * 1024


class _CountingReader(TailKeeper):
    """A file wrapper that reports how far the parser has read, and keeps its tail."""

    def __init__(self, raw: Any, progress: ProgressCallback | None) -> None:
        super().__init__(raw)
        self.progress = progress
        self.position = 0

    def read(self, size: int = -1) -> bytes:
        data = super().read(size)
        self.position += len(data)
        if self.progress is not None:
            self.progress(self.position)
        return data


@cache
def _report_schema(version: SchemaVersion) -> etree.XMLSchema:
    """The published XSD plus a global ``report`` element, to check reports one by one."""
    data = resources.files("schema").joinpath(f"xsd/v{version.value}.xsd").read_bytes()
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    xs = "{http://www.w3.org/2001/XMLSchema}"
    etree.SubElement(root, f"{xs}element", name="report", type="m:ChangeReport")
    return etree.XMLSchema(root)


def peek_document_type(path: str) -> DocumentType:
    """The document type named by the root element, read from the file's first bytes."""
    with open(path, "rb") as handle:
        for _event, element in iterparse(handle, events=("start",)):
            return root_document_type(element)
    raise MalformedDocument("no root element")


def validate_xml(path: str, options: ValidationOptions, result: FileResult,
                 size: int, progress: ProgressCallback | None) -> None:
    doc_type = peek_document_type(path)
    result.document_type = doc_type.name
    result.schema_version = doc_type.version.value
    checker = DocumentChecker(doc_type, options, result)
    if size <= WHOLE_DOCUMENT_LIMIT or (doc_type.name != "ChangeReportBatch"
                                        and size <= MAX_DOCUMENT_BYTES):
        with open(path, "rb") as handle:
            _validate_whole(parse_xml(handle.read()), checker)
        if progress is not None:
            progress(size)
    elif doc_type.name == "ChangeReportBatch":
        _validate_stream(path, checker, progress)
    else:
        raise MalformedDocument(f"a {doc_type.name} larger than {MAX_DOCUMENT_BYTES} bytes")


def _validate_whole(root: etree._Element, checker: DocumentChecker) -> None:
    doc_type = checker.doc_type
    schema = xml_schema(doc_type.version)
    if not schema.validate(root):
        checker.record(xsd_issues(schema.error_log, root=root), "", lambda _: None)
        return
    if doc_type.name != "ChangeReportBatch":
        data = element_to_dict(root, doc_type.model)
        checker.document(data, partial(line_of_path, root), schema_checked=True)
        return
    reports = [c for c in root if isinstance(c.tag, str) and c.tag.endswith("}report")]
    header = {k: v for k, v in element_to_dict(root, doc_type.model).items() if k != "reports"}
    declared = checker.header(header, partial(line_of_path, root))
    for index, report in enumerate(reports):
        data = element_to_dict(report, doc_type.report_model)
        checker.report(index, data, partial(line_of_path, report))
    checker.count(declared, len(reports))


class XsdRejected(Exception):
    """The streamed document broke the XSD; a second pass locates the errors."""


@dataclass(frozen=True, slots=True)
class StreamOutcome:
    reports: int
    declared: int | None


def stream_batch(source: Source, checker: DocumentChecker,
                 progress: ProgressCallback | None) -> StreamOutcome:
    """Check a batch report by report as the parser reaches the end of each."""
    doc_type = checker.doc_type
    report_tag = f"{{{doc_type.namespace}}}report"
    declared: int | None = None
    index = 0
    root: etree._Element | None = None
    root_element: etree._Element | None = None
    closed = False
    # The log is global to the thread: a parser error of an earlier file must not make
    # this file's XSD errors look like a parse failure.
    etree.clear_error_log()
    with source.open() as raw:
        reader = _CountingReader(raw, progress)
        context = etree.iterparse(reader, events=("end",), tag=(report_tag, doc_type.tag),
                                  schema=xml_schema(doc_type.version), resolve_entities=False,
                                  no_network=True, load_dtd=False)
        try:
            for _event, report in context:
                if report.tag == doc_type.tag:
                    closed, root_element = True, report
                    continue
                if root is None:
                    root = _parent(report)
                    _refuse_dtd(root)
                    if source.first:
                        declared = checker.header(header_to_dict(root, doc_type.header_model),
                                                  partial(line_of_path, root))
                data = element_to_dict(report, doc_type.report_model)
                checker.report(index, data, partial(line_of_path, report),
                               keep_schema_issues=False)
                index += 1
                report.clear()
                while report.getprevious() is not None:
                    del root[0]
        except etree.XMLSyntaxError as exc:
            if _is_schema_error(exc):
                raise XsdRejected() from None
            raise MalformedDocument(describe_syntax_error(exc)) from None
    if not closed or root_element is None:
        # libxml2 does not always report a premature end of data in this mode.
        raise MalformedDocument(f"premature end of data: the {doc_type.name} element is "
                                "never closed")
    if not ends_with_end_tag(reader.tail, qualified_name(root_element)):
        # see schema.xmlsafe: the document must end with its root's end tag, or parse
        # without the XSD
        with source.open() as again:
            check_well_formed(cast(IO[bytes], again))
    return StreamOutcome(index, declared)


def _validate_stream(path: str, checker: DocumentChecker,
                     progress: ProgressCallback | None) -> None:
    try:
        outcome = stream_batch(Source(path), checker, progress)
    except XsdRejected:
        # Like a whole-document check, a file that breaks the XSD reports its XSD errors
        # only: the rule findings of the reports read before the failure are dropped.
        checker.result.errors.clear()
        checker.result.warnings.clear()
        checker.result.dropped = checker.result.dropped_errors = 0
        for issue in _locate_schema_errors(path, checker.doc_type):
            checker.result.add(issue, checker.options)
        return
    checker.count(outcome.declared, outcome.reports)


def _parent(element: etree._Element) -> etree._Element:
    parent = element.getparent()
    if parent is None:
        raise MalformedDocument("a report outside its batch")
    return parent


def _refuse_dtd(root: etree._Element) -> None:
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise MalformedDocument("XML documents must not carry a DTD (DOCTYPE)")


def _is_schema_error(exc: etree.XMLSyntaxError) -> bool:
    log = getattr(exc, "error_log", None)
    return bool(log) and all(e.domain_name == "SCHEMASV" for e in log)  # type: ignore[union-attr]


def _locate_schema_errors(path: str, doc_type: DocumentType) -> Iterator[Issue]:
    """Second pass: each report and the header validated alone, errors with lines."""
    report_schema = _report_schema(doc_type.version)
    batch_schema = xml_schema(doc_type.version)
    header: etree._Element | None = None
    reports = 0
    with open(path, "rb") as handle:
        for event, element in iterparse(handle, events=("start", "end")):
            parent = element.getparent()
            if event == "start":
                if parent is None:
                    header = etree.Element(element.tag, nsmap=element.nsmap)
                continue
            if parent is None or parent.getparent() is not None:
                continue
            if isinstance(element.tag, str) and element.tag.endswith("}report"):
                reports += 1
                if not report_schema.validate(element):
                    # A part validated alone: libxml2's paths start at the report itself.
                    yield from xsd_issues(report_schema.error_log, f"reports[{reports - 1}]",
                                          root=element)
            elif header is not None:
                header.append(copy.deepcopy(element))
            element.clear()
            while element.getprevious() is not None:
                del parent[0]
    if header is not None and not batch_schema.validate(header):
        missing_report = f"Expected is ( {{{doc_type.namespace}}}report )"
        for issue in xsd_issues(batch_schema.error_log, root=header):
            if not (reports and missing_report in issue.message_en):
                yield issue

