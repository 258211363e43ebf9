"""Find the line of a field in an XML element from its wire path."""

from __future__ import annotations

import re

from lxml import etree

_SEGMENT = re.compile(r"([A-Za-z]+)(?:\[(\d+)\])?")


def _local(tag: object) -> str | None:
    if not isinstance(tag, str):
        return None
    return tag.rpartition("}")[2]


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in element if _local(c.tag) == name]


def line_of_path(element: etree._Element, path: str) -> int | None:
    """The source line of the deepest element along ``path`` (``record.children[1].sex``)."""
    node = element
    for name, index in _SEGMENT.findall(path):
        if name == "reports":
            matches = _children(node, "report")
            if index and int(index) < len(matches):
                node = matches[int(index)]
            continue
        matches = _children(node, name)
        if not matches:
            break
        node = matches[0]
        if index:
            items = [c for c in node if isinstance(c.tag, str)]
            if int(index) >= len(items):
                break
            node = items[int(index)]
    return node.sourceline
