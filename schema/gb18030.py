"""GB18030's two editions: 24 two-byte codes whose character changed in GB18030-2022.

GB18030-2005 maps 24 two-byte codes (``A6D9``–``A6F3``, ``FE51``–``FEA0``) to private-use
code points (U+E78D…); GB18030-2022 maps them to the characters Unicode has since encoded
(U+FE10…, U+9FB4…, U+20087…), and the four-byte codes of those characters the other way.
Python's codec follows 2005; libxml2 (through iconv) follows 2022. So the same bytes are
read as two characters, depending on the reader.

Reading: :func:`read_as_2022` gives text decoded by Python the 2022 meaning, the one the
department systems of today write; :func:`encode_as_2022` writes it back so. In XML,
:func:`xml_bytes` writes the 48 characters of either edition as character references in
GB18030, which every reader takes alike.
"""

from __future__ import annotations

import re
from types import MappingProxyType

from lxml import etree

#: The private-use code point of 2005 → the character of 2022, for the same two bytes.
PUA_2005_TO_2022 = MappingProxyType({
    0xE78D: 0xFE10, 0xE78E: 0xFE12, 0xE78F: 0xFE11, 0xE790: 0xFE13, 0xE791: 0xFE14,
    0xE792: 0xFE15, 0xE793: 0xFE16, 0xE794: 0xFE17, 0xE795: 0xFE18, 0xE796: 0xFE19,
    0xE816: 0x20087, 0xE817: 0x20089, 0xE818: 0x200CC, 0xE81E: 0x9FB4, 0xE826: 0x9FB5,
    0xE82B: 0x9FB6, 0xE82C: 0x9FB7, 0xE831: 0x215D7, 0xE832: 0x9FB8, 0xE83B: 0x2298F,
    0xE843: 0x9FB9, 0xE854: 0x9FBA, 0xE855: 0x241FE, 0xE864: 0x9FBB,
})
_PUA_RE = re.compile("[\ue78d-\ue796\ue816-\ue818\ue81e\ue826\ue82b\ue82c\ue831\ue832"
                     "\ue83b\ue843\ue854\ue855\ue864]")
_EITHER_RE = re.compile(_PUA_RE.pattern[:-1] + "".join(
    chr(code) for code in PUA_2005_TO_2022.values()) + "]")
_NAMES = frozenset({"gb18030", "gb180302005", "gb180302022"})


def is_gb18030(encoding: str) -> bool:
    """Whether an encoding name means GB18030 (``GB18030``, ``gb-18030``, ...)."""
    return encoding.lower().replace("-", "").replace("_", "") in _NAMES


def read_as_2022(text: str) -> str:
    """Text decoded with Python's GB18030 codec, its 24 private-use characters of 2005 made
    the characters GB18030-2022 gives the same bytes."""
    if _PUA_RE.search(text) is None:
        return text
    return text.translate(PUA_2005_TO_2022)


_TO_PUA = MappingProxyType({new: old for old, new in PUA_2005_TO_2022.items()})


def encode_as_2022(text: str) -> bytes:
    """GB18030 bytes as the 2022 edition writes them: the 24 characters get their two-byte
    codes (which Python's codec gives their private-use twins)."""
    return text.translate(_TO_PUA).encode("gb18030")


def _reference(match: re.Match[str]) -> str:
    return f"&#x{ord(match.group()):X};"


def xml_bytes(element: etree._Element, encoding: str, *, xml_declaration: bool,
              pretty_print: bool) -> bytes:
    """``etree.tostring``; in GB18030, the characters whose bytes the two editions read
    apart are written as character references, so that any reader gets them back."""
    if not is_gb18030(encoding):
        return etree.tostring(element, encoding=encoding, xml_declaration=xml_declaration,
                              pretty_print=pretty_print)
    text = etree.tostring(element, encoding="unicode", pretty_print=pretty_print)
    text = _EITHER_RE.sub(_reference, text)
    declaration = f"<?xml version='1.0' encoding='{encoding}'?>\n" if xml_declaration else ""
    return (declaration + text).encode("gb18030")
