"""The one hardened XML parse of the project.

No DTD (a document that declares one is refused outright), no entity expansion, no
network, libxml2's default depth and text-size limits, and a cap on the input size for
whole-document parses. The declared encoding is honoured (GB18030 included). Streaming
readers use :func:`iterparse`, which applies the same settings.

A document streamed with an XSD plugged in must end with its root's end tag
(:func:`ends_with_end_tag`): lxml 6.2.0 then closes what is open at a premature end of
data without an error, and a truncated document would pass.
"""

from __future__ import annotations

import re
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


#: The last bytes of a streamed document kept to check how it ends.
TAIL_BYTES = 4096
_END_TAG = re.compile(rb"</([^<>\s]+)\s*>\Z")


class TailKeeper:
    """A binary reader over ``raw`` that keeps the last :data:`TAIL_BYTES` bytes read."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self.tail = b""

    def read(self, size: int = -1) -> bytes:
        data: bytes = self.raw.read(size)
        self.tail = data[-TAIL_BYTES:] if len(data) >= TAIL_BYTES else \
            (self.tail + data)[-TAIL_BYTES:]
        return data


def ends_with_end_tag(tail: bytes, name: str) -> bool:
    """Whether ``tail`` (a document's last bytes, ASCII-compatible) ends with the end tag
    ``</name>``, after it only white space, comments and processing instructions."""
    text = tail.rstrip()
    while text.endswith((b"-->", b"?>")):
        start = text.rfind(b"<!--" if text.endswith(b"-->") else b"<?")
        if start < 0:
            return False
        text = text[:start].rstrip()
    end = _END_TAG.search(text)
    return end is not None and end.group(1) == name.encode()


def qualified_name(element: etree._Element) -> str:
    """The element's name as its tags spell it (``m:ChangeReportBatch``)."""
    local = etree.QName(element).localname
    return f"{element.prefix}:{local}" if element.prefix else local


def check_well_formed(source: IO[bytes]) -> None:
    """Parse ``source`` to its end without an XSD, keeping nothing; :class:`MalformedDocument`,
    located, when it is not well-formed."""
    context = etree.iterparse(source, events=("end",), **_PARSER_OPTIONS)
    try:
        for _event, element in context:
            parent = element.getparent()
            if parent is not None and parent.getparent() is None:
                element.clear()
                while element.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        raise MalformedDocument(describe_syntax_error(exc)) from None


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


#: Bytes read from a streamed document at a time.
_FEED_BYTES = 64 * 1024


def iterparse(
    source: IO[bytes],
    *,
    events: tuple[Literal["start", "end"], ...] = ("start", "end"),
    schema: etree.XMLSchema | None = None,
) -> Iterator[tuple[str, etree._Element]]:
    """Stream events from ``source`` with the hardened settings; a DTD is refused. Every
    event before a syntax error is given before :class:`MalformedDocument` is raised (a
    pull parser keeps them; ``etree.iterparse`` drops those of the block that failed).
    With ``schema``, a document that does not end with its root's end tag is parsed again
    without it, from where it started, when ``source`` can seek; else refused."""
    start = source.tell() if schema is not None and source.seekable() else None
    parser = etree.XMLPullParser(events=events, schema=schema, **_PARSER_OPTIONS)
    # The thread's error log, from here on, holds this document's errors: libxml2 may log
    # one and go on, to fail later elsewhere (see describe_syntax_error).
    etree.clear_error_log()
    tail = b""
    first = True
    depth = 0
    root: etree._Element | None = None
    failure: etree.XMLSyntaxError | None = None
    while True:
        data = source.read(_FEED_BYTES)
        try:
            if data:
                parser.feed(data)
            else:
                root = parser.close()
        except etree.XMLSyntaxError as exc:
            failure = exc
            if not data:
                # Failing at the end, libxml2 closes the elements still open: those end
                # events are of elements the document never closed (a feed that fails
                # stops at the error, with no such events).
                for _ in parser.read_events():
                    pass
        for event, element in parser.read_events():
            if first:
                _refuse_doctype(element.getroottree().docinfo)
                first = False
            depth += 1 if event == "start" else -1
            yield event, element
        if failure is not None:
            raise MalformedDocument(describe_syntax_error(failure, first=True))
        if not data:
            break
        tail = data[-TAIL_BYTES:] if len(data) >= TAIL_BYTES else (tail + data)[-TAIL_BYTES:]
    if first or (set(events) == {"start", "end"} and depth):
        # libxml2 does not always report a premature end of data in this mode.
        raise MalformedDocument("premature end of data: the root element is never closed")
    if schema is not None and root is not None and not ends_with_end_tag(
            tail, qualified_name(root)):
        if start is None:
            raise MalformedDocument("premature end of data: the document does not end with "
                                    "its root element's end tag")
        source.seek(start)
        check_well_formed(source)


def describe_syntax_error(exc: etree.XMLSyntaxError, *, first: bool = False) -> str:
    """A one-line account of a libxml2 error, with its line when known. With ``first``
    (the thread's error log was cleared when this document's parse began), the first error
    logged: libxml2 may log one, go on and raise a later one located elsewhere (an
    undefined entity, then "Start tag expected" at line 1)."""
    if first:
        for entry in exc.error_log:
            if entry.level >= etree.ErrorLevels.ERROR and entry.line > 0:
                return f"{entry.message.strip()}, line {entry.line}, column {entry.column}"
    return str(exc).strip() or "not well-formed XML"
