"""Telling XML from JSON by the first meaningful byte."""

from __future__ import annotations

import pytest

from schema.validation._sniff import sniff


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
    (b"\xff\xfe" + "{}".encode("utf-16-le"), None),
    (b"\x00<a/>", None),
    ("王秀英".encode(), None),
], ids=["declaration", "whitespace", "bom-xml", "utf16le", "utf16be", "object",
        "crlf-object", "bom-json", "array", "empty", "blank", "zip", "utf16-json", "nul",
        "text"])
def test_sniff(head: bytes, expected: str | None) -> None:
    assert sniff(head) == expected
