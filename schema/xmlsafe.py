"""The one hardened XML parse of the project.

No DTD (a document that declares one is refused outright), no entity expansion, no
network, libxml2's default depth and text-size limits, and a cap on the input size for
whole-document parses. The declared encoding is honoured (GB18030 included). Streaming
readers use :func:`iterparse`, which applies the same settings.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any, Literal

from lxml import etree

from schema.errors import MalformedDocument

#: Largest document :func:`parse_xml` reads whole; batches are streamed instead.
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024

_PARSER_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_comments": False,
    "remove_pis": False,
    "strip_cdata": True,
}


def _parser() -> etree.XMLParser:
    parser: etree.XMLParser = etree.XMLParser(**_PARSER_OPTIONS)
    return parser


def _refuse_doctype(docinfo: Any) -> None:
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise MalformedDocument("XML documents must not carry a DTD (DOCTYPE)")


def parse_xml(data: bytes) -> etree._Element:
    """Parse a whole document held in memory; :class:`MalformedDocument` if unsafe or broken."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise MalformedDocument(f"document larger than {MAX_DOCUMENT_BYTES} bytes")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise MalformedDocument(describe_syntax_error(exc)) from None
    except ValueError as exc:  # e.g. a str with an encoding declaration
        raise MalformedDocument(str(exc)) from None
    _refuse_doctype(root.getroottree().docinfo)
    for node in root.iter(etree.Entity):
        raise MalformedDocument(f"entity reference {node.text} is not allowed")
    return root


def iterparse(
    source: IO[bytes],
    *,
    events: tuple[Literal["start", "end"], ...] = ("start", "end"),
    schema: etree.XMLSchema | None = None,
) -> Iterator[tuple[str, etree._Element]]:
    """Stream events from ``source`` with the hardened settings; a DTD is refused."""
    context = etree.iterparse(source, events=events, schema=schema, **_PARSER_OPTIONS)
    first = True
    depth = 0
    try:
        for event, element in context:
            if first:
                _refuse_doctype(element.getroottree().docinfo)
                first = False
            depth += 1 if event == "start" else -1
            yield event, element
    except etree.XMLSyntaxError as exc:
        raise MalformedDocument(describe_syntax_error(exc)) from None
    if first or (set(events) == {"start", "end"} and depth):
        # libxml2 does not always report a premature end of data in this mode.
        raise MalformedDocument("premature end of data: the root element is never closed")


def describe_syntax_error(exc: etree.XMLSyntaxError) -> str:
    """A one-line account of a libxml2 error, with its line when known."""
    return str(exc).strip() or "not well-formed XML"
