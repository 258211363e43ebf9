"""XML exports: a root element holding one element per record, streamed.

The file goes through the project's one hardened parser (:func:`schema.xmlsafe.iterparse`:
no DTD, no entities, no network); each record is turned into values keyed by element path
(``男方/姓名``) and attribute (``@机关代码`` for the root's), then cleared, so memory stays
flat. A row's number is the line its record starts on. A file that stops being well-formed
part-way keeps the records before the break and ends in ``file.malformed``. The rejects
file is the same root with each refused record copied in and a ``拒收原因`` element added,
which the reader ignores.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import dataclass
from typing import Any, BinaryIO

from lxml import etree

from adapters._protocol import Row, RowError
from adapters._values import clean
from adapters.errors import ExportUnreadable
from schema.errors import MalformedDocument
from schema.xmlsafe import iterparse, parse_xml

REASON_ELEMENT = "拒收原因"
_LINE_RE = re.compile(r"line (\d+)")
#: The XML declaration's encoding, looked for in the first bytes of the file.
_DECLARED_RE = re.compile(
    rb"""^(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_HEAD = 1024
#: Records inside one record held for line order; past this many, they are given at once.
_HELD_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class XmlLayout:
    root: str
    record: str


class XmlExport:
    """An open XML export. A row's ``raw`` element is valid until the next row is read."""

    def __init__(self, stream: BinaryIO, file: str, layout: XmlLayout) -> None:
        self.stream = stream
        self.file = file
        self.layout = layout
        self.root: etree._Element | None = None
        self.encoding = "UTF-8"

    def rows(self) -> Iterator[Row | RowError]:
        head = self.stream.read(_HEAD)
        if not head.strip():
            raise ExportUnreadable("file.empty", "文件为空", "the file is empty", row=1)
        self.encoding = _declared_encoding(head)
        try:
            yield from self._records(_Prefixed(head, self.stream))
        except MalformedDocument as exc:
            match = _LINE_RE.search(exc.message)
            # libxml2 names a line; a refused DTD is found in the head, else the file is.
            doctype = head.find(b"<!DOCTYPE")
            row = int(match.group(1)) if match else \
                head.count(b"\n", 0, doctype) + 1 if doctype >= 0 else 1
            raise ExportUnreadable("file.malformed", f"XML 格式错误：{exc.message}",
                                   f"not well-formed XML: {exc.message}", row=row) from None

    def _records(self, source: _Prefixed) -> Iterator[Row | RowError]:
        held: list[RowError] = []
        try:
            yield from self._in_order(source, held)
        except MalformedDocument:
            yield from held  # found before the break: reported, then the break
            raise

    def _in_order(self, source: _Prefixed, held: list[RowError]) -> Iterator[Row | RowError]:
        """The rows in line order. A record inside a record is held (in ``held``) until the
        one holding it, which starts on an earlier line, is given; one inside another
        element is given at once, so that a wrapper of many holds none."""
        layout, any_rows, depth, in_record = self.layout, False, 0, False
        for event, element in iterparse(source):  # type: ignore[arg-type]
            if event == "start":
                tag = element.tag
                if isinstance(tag, str) and tag[:1] == "{":  # a namespace: the names count
                    element.tag = tag.partition("}")[2]
                depth += 1
                if depth == 1:
                    self._start_root(element)
                elif depth == 2:
                    in_record = element.tag == layout.record
                continue
            depth -= 1
            if depth != 1:
                if element.tag == layout.record:
                    # Not a child of the root (wrapped in another element): reported, so
                    # that the record is not lost unseen.
                    any_rows = True
                    misplaced = self._misplaced(element)
                    # Gone from the element holding it: the rejects file would repeat it
                    # there as an empty record.
                    parent = element.getparent()
                    if parent is not None:
                        parent.remove(element)
                    if in_record and len(held) < _HELD_LIMIT:
                        held.append(misplaced)
                    else:
                        yield misplaced
                        element.clear()
                continue
            if element.tag == layout.record:
                any_rows = True
                values, repeated = _values(element, self.root)
                if repeated:
                    yield RowError(
                        self.file, element.sourceline, repeated, "row.columns",
                        f"记录中“{repeated}”出现了不止一次，无法确定取哪一个",
                        f"the record holds {repeated} more than once: which one to read "
                        "cannot be told", raw=element)
                else:
                    yield Row(element.sourceline or 0, values, element)
            if held:
                yield from held
                held.clear()
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]  # type: ignore[union-attr]
        if not any_rows:
            raise ExportUnreadable("file.no-rows", f"文件中没有“{layout.record}”记录",
                                   f"the file holds no {layout.record} records", row=1)

    def _misplaced(self, element: etree._Element) -> RowError:
        parent = element.getparent()
        where = str(parent.tag) if parent is not None else ""
        record, root = self.layout.record, self.layout.root
        return RowError(self.file, element.sourceline, None, "row.columns",
                        f"“{record}”应直接位于根元素“{root}”下，却在“{where}”中，未读取",
                        f"the {record} record should be a child of the root {root}, not of "
                        f"{where}: not read", raw=element)

    def _start_root(self, element: etree._Element) -> None:
        tag = str(element.tag)
        if tag != self.layout.root:
            raise ExportUnreadable(
                "file.header",
                f"根元素应为“{self.layout.root}”，实为“{tag}”（选错了适配器？）",
                f"the root element should be {self.layout.root}, not {tag} "
                "(the wrong adapter?)", row=element.sourceline, column=tag)
        self.root = element

    def keep_raw(self, raw: Any) -> Any:
        """A record as XML text: it outlives the element, which is cleared once the next
        row is read, and can be sent to another process; the rejects writer takes it."""
        if isinstance(raw, etree._Element):
            # Without its tail: text after the record is not part of it.
            return etree.tostring(raw, encoding="unicode", with_tail=False)
        return raw

    def rejects(self, stream: BinaryIO) -> XmlRejects:
        attributes = dict(self.root.attrib) if self.root is not None else {}
        return XmlRejects(stream, self.layout.root, attributes, self.encoding)


def _values(element: etree._Element, root: etree._Element | None
            ) -> tuple[dict[str, str], str | None]:
    """The record's values by path, and the first path it holds twice (if any)."""
    values = {f"@{k}": clean(str(v)) for k, v in (root.attrib.items() if root is not None
                                                   else ())}
    repeated: str | None = None
    for child in element:
        if not isinstance(child.tag, str):
            continue
        pairs = ([(f"{child.tag}/{part.tag}", part) for part in child
                  if isinstance(part.tag, str)] if len(child) else [(str(child.tag), child)])
        for path, leaf in pairs:
            if path in values and repeated is None and path != REASON_ELEMENT:
                repeated = path
            values[path] = clean(leaf.text or "")
    return values, repeated


def _declared_encoding(head: bytes) -> str:
    """The encoding the XML declaration names, for the rejects file; UTF-8 when there is
    none, or when Python cannot write it as an ASCII-compatible encoding (UTF-16, say)."""
    match = _DECLARED_RE.match(head)
    if match is None:
        return "UTF-8"
    name = match.group(1).decode("ascii")
    try:
        if "<?xml >".encode(name) == b"<?xml >":
            return name
    except LookupError:
        pass
    return "UTF-8"


class _Prefixed:
    """A stream with its first bytes, already read, put back."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self.head = head
        self.stream = stream

    def read(self, size: int = -1) -> bytes:
        if self.head:
            data, self.head = self.head, b""
            return data
        return self.stream.read(size)


class XmlRejects:
    """Refused records under a copy of the root, each with a ``拒收原因`` element."""

    def __init__(self, stream: BinaryIO, root: str, attributes: dict[str, str],
                 encoding: str) -> None:
        self.stream = stream
        self.root = root
        self.encoding = encoding
        opening = etree.Element(root, attributes)
        start = etree.tostring(opening, encoding="unicode").removesuffix("/>").rstrip()
        stream.write(f'<?xml version="1.0" encoding="{encoding}"?>\n{start}>\n'.encode(
            encoding, "xmlcharrefreplace"))

    def write(self, row: object, reason: str) -> None:
        if isinstance(row, str):  # a record kept as text (XmlExport.keep_raw)
            row = parse_xml(row.encode("utf-8"))
        if not isinstance(row, etree._Element):
            return
        copy = deepcopy(row)
        copy.tail = None
        etree.SubElement(copy, REASON_ELEMENT).text = reason
        self.stream.write(b"  " + etree.tostring(copy, encoding=self.encoding,
                                                 xml_declaration=False) + b"\n")

    def close(self) -> None:
        self.stream.write(f"</{self.root}>\n".encode(self.encoding))
        self.stream.flush()
