"""What a file holds, from its first bytes: XML or JSON, and in which Unicode form.

XML may come in UTF-16 (XML 1.0, Appendix F), with or without a byte order mark; JSON is
UTF-8 on the wire (RFC 8259 §8.1). A file in UTF-16 or UTF-32 is told by its byte order
mark, or by the NUL bytes its first, ASCII, characters carry, so that it is named as such
rather than refused for a byte far into it.
"""

from __future__ import annotations

from typing import Literal

Format = Literal["xml", "json"]
WideEncoding = Literal["UTF-16-LE", "UTF-16-BE", "UTF-32-LE", "UTF-32-BE"]

# Longest first: the UTF-32-LE mark begins with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, WideEncoding], ...] = (
    (b"\xff\xfe\x00\x00", "UTF-32-LE"), (b"\x00\x00\xfe\xff", "UTF-32-BE"),
    (b"\xff\xfe", "UTF-16-LE"), (b"\xfe\xff", "UTF-16-BE"),
)


def wide_encoding(head: bytes) -> tuple[WideEncoding, int] | None:
    """The UTF-16 or UTF-32 form of these first bytes and the length of their byte order
    mark (0 when there is none); None for an ASCII-compatible encoding (UTF-8, GB18030).

    Without a mark, the first character (``<``, ``{``, a space) is ASCII, so its NUL bytes
    give the form away, as RFC 4627 §3 describes.
    """
    for mark, name in _BOMS:
        if head.startswith(mark):
            return name, len(mark)
    first = head[:4]
    if len(first) == 4 and first[:3] == b"\x00\x00\x00" and first[3]:
        return "UTF-32-BE", 0
    if len(first) == 4 and first[0] and first[1:] == b"\x00\x00\x00":
        return "UTF-32-LE", 0
    if len(first) >= 2 and not first[0] and first[1]:
        return "UTF-16-BE", 0
    if len(first) >= 2 and first[0] and not first[1]:
        return "UTF-16-LE", 0
    return None


def sniff(head: bytes) -> Format | None:
    """``xml``, ``json``, or None when the bytes start like neither (in whichever form)."""
    wide = wide_encoding(head)
    if wide is not None:
        name, mark = wide
        text = head[mark:].decode(name, errors="ignore").lstrip()
        return "xml" if text.startswith("<") else "json" if text.startswith(("{", "[")) \
            else None
    stripped = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if stripped.startswith(b"<"):
        return "xml"
    if stripped.startswith((b"{", b"[")):
        return "json"
    return None
