"""Tell XML from JSON by the first meaningful byte."""

from __future__ import annotations

from typing import Literal

Format = Literal["xml", "json"]

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def sniff(head: bytes) -> Format | None:
    """``xml``, ``json``, or None when the bytes start like neither."""
    if head.startswith(_UTF16_BOMS):
        text = head[2:].decode("utf-16-le" if head[:2] == b"\xff\xfe" else "utf-16-be",
                              errors="ignore")
        return "xml" if text.lstrip().startswith("<") else None
    stripped = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if stripped.startswith(b"<"):
        return "xml"
    if stripped.startswith((b"{", b"[")):
        return "json"
    return None
