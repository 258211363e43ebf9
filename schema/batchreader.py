"""Read a batch of any size as a header and a stream of report models.

Reports are checked against the schema (the XSD for XML, the model for both) as they
are read, in constant memory; logic rules are not run here (see ``schema.validation``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import chain
from typing import IO, Any

from lxml import etree

from schema.artefacts import xml_schema
from schema.documents import DocumentType
from schema.errors import DocumentInvalid, MalformedDocument
from schema.jsoncodec import json_document_type
from schema.jsonstream import JsonObjectStream
from schema.models._base import StandardModel
from schema.schemacheck import validate_model
from schema.xmlcodec import element_to_dict, header_to_dict, root_document_type
from schema.xmlsafe import describe_syntax_error


@dataclass
class BatchStream:
    """The header of a batch, and its reports one by one (iterate once)."""

    doc_type: DocumentType
    header: StandardModel
    reports: Iterator[StandardModel]


def _model(model: type[StandardModel], data: Any, path: str) -> StandardModel:
    document, issues = validate_model(model, data, path)
    if document is None:
        raise DocumentInvalid(f"{path or 'the batch header'} is not valid", issues)
    return document


def _xml_reports(context: Any, first: etree._Element, doc_type: DocumentType,
                 ) -> Iterator[StandardModel]:
    root = first.getparent()
    closed = False
    index = 0
    try:
        for element in chain([first], (element for _event, element in context)):
            if element.tag == doc_type.tag:
                closed = True
                continue
            data = element_to_dict(element, doc_type.report_model)
            yield _model(doc_type.report_model, data, f"reports[{index}]")
            index += 1
            element.clear()
            while element.getprevious() is not None and root is not None:
                del root[0]
    except etree.XMLSyntaxError as exc:
        raise MalformedDocument(describe_syntax_error(exc)) from None
    if not closed:
        raise MalformedDocument("premature end of data: the batch element is never closed")


def read_xml_batch(handle: IO[bytes]) -> BatchStream:
    """A batch read from an XML stream, validated against its XSD as it goes."""
    probe = etree.iterparse(handle, events=("start",), resolve_entities=False,
                            no_network=True, load_dtd=False)
    try:
        _ev, root = next(iter(probe))
    except (etree.XMLSyntaxError, StopIteration):
        raise MalformedDocument("not well-formed XML") from None
    doc_type = root_document_type(root)
    if doc_type.name != "ChangeReportBatch":
        raise MalformedDocument(f"a {doc_type.name}, not a ChangeReportBatch")
    handle.seek(0)
    context = etree.iterparse(handle, events=("end",),
                              tag=(f"{{{doc_type.namespace}}}report", doc_type.tag),
                              schema=xml_schema(doc_type.version), resolve_entities=False,
                              no_network=True, load_dtd=False)
    try:
        _ev, first = next(iter(context))
    except (etree.XMLSyntaxError, StopIteration) as exc:
        raise MalformedDocument(f"no report in the batch: {exc}") from None
    parent = first.getparent()
    if parent is None or parent.getroottree().docinfo.doctype:
        raise MalformedDocument("XML documents must not carry a DTD (DOCTYPE)")
    header = header_to_dict(parent, doc_type.header_model)
    return BatchStream(doc_type, _model(doc_type.header_model, header, ""),
                       _xml_reports(context, first, doc_type))


def read_json_batch(handle: IO[bytes],
                    progress: Callable[[int], None] | None = None) -> BatchStream:
    """A batch read from a JSON stream; its members must come before ``reports``."""
    events = JsonObjectStream(handle, progress).events(
        lambda key: "stream" if key == "reports" else "value")
    members: dict[str, Any] = {}
    for kind, key, value, _line in events:
        if kind == "open":
            break
        members[key] = value
    else:
        raise MalformedDocument('a batch needs a "reports" array')
    doc_type = json_document_type(members)
    if doc_type.name != "ChangeReportBatch":
        raise MalformedDocument(f"a {doc_type.name}, not a ChangeReportBatch")
    body = {k: v for k, v in members.items() if k not in ("type", "schemaVersion")}

    def reports() -> Iterator[StandardModel]:
        index = 0
        for kind, _key, value, _line in events:
            if kind == "item":
                yield _model(doc_type.report_model, value, f"reports[{index}]")
                index += 1

    return BatchStream(doc_type, _model(doc_type.header_model, body, ""), reports())
