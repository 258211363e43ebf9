"""Telling XML from JSON by the first meaningful byte."""

from __future__ import annotations

import pytest

from schema.sniff import sniff, wide_encoding


@pytest.mark.parametrize(("head", "expected"), [
    (b"<?xml version='1.0'?><a/>", "xml"),
    (b"\n\t <PersonRecord/>", "xml"),
    (b"\xef\xbb\xbf<?xml version='1.0'?>", "xml"),
    (b"\xff\xfe" + "<?xml?>".encode("utf-16-le"), "xml"),
    (b"\xfe\xff" + "  <a/>".encode("utf-16-be"), "xml"),
    (b'{"type": "PersonRecord"}', "json"),
    (b'\r\n  {"type": 1}', "json"),
    (b"\xef\xbb\xbf{}", "json"),
    (b"[1, 2]", "json"),
    (b"", None),
    (b"   \n", None),
    (b"PK\x03\x04", None),
    (b"\xff\xfe" + "{}".encode("utf-16-le"), "json"),
    (b"\x00\x00\x00\x00PK", None),
    ("王秀英".encode(), None),
], ids=["declaration", "whitespace", "bom-xml", "utf16le", "utf16be", "object",
        "crlf-object", "bom-json", "array", "empty", "blank", "zip", "utf16-json", "nul",
        "text"])
def test_sniff(head: bytes, expected: str | None) -> None:
    assert sniff(head) == expected


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("text", ['<?xml version="1.0"?><a/>', '\n {"a": "王"}', "<a/>", "{}"])
def test_wide_forms_are_told_with_and_without_a_mark(encoding: str, text: str) -> None:
    name = encoding.upper()
    bare = text.encode(encoding)
    marked = "\ufeff".encode(encoding) + bare
    assert wide_encoding(bare) == (name, 0)
    assert wide_encoding(marked) == (name, len(marked) - len(bare))
    expected = "xml" if text.startswith("<") else "json"
    assert sniff(bare) == sniff(marked) == expected


@pytest.mark.parametrize("head", [b"<a/>", b'{"a": 1}', "王秀英".encode("gb18030"),
                                  b"\xef\xbb\xbf<a/>", b"", b"<", b"\x00"])
def test_ascii_compatible_bytes_are_not_wide(head: bytes) -> None:
    assert wide_encoding(head) is None
