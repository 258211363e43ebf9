"""GB18030's two editions: reading as 2022, writing so that either edition reads it back."""

from __future__ import annotations

import pytest
from lxml import etree

from schema.gb18030 import (
    PUA_2005_TO_2022,
    encode_as_2022,
    is_gb18030,
    read_as_2022,
    xml_bytes,
)

OLD = "".join(map(chr, PUA_2005_TO_2022))
NEW = "".join(map(chr, PUA_2005_TO_2022.values()))
DECLARED = b"<?xml version='1.0' encoding='GB18030'?>"


def _libxml2_reads(body: bytes) -> str:
    return etree.fromstring(DECLARED + b"<a>" + body + b"</a>").text or ""


def test_the_table_is_what_libxml2_reads_from_the_bytes_python_writes() -> None:
    assert _libxml2_reads(OLD.encode("gb18030")) == NEW
    assert OLD.encode("gb18030").decode("gb18030") == OLD  # Python keeps to 2005


def test_text_python_decoded_is_given_the_2022_characters() -> None:
    text = "王" + OLD.encode("gb18030").decode("gb18030") + "英"
    assert read_as_2022(text) == "王" + NEW + "英"
    plain = "王秀英 郑州市\ue000"  # other private-use characters stay
    assert read_as_2022(plain) is plain


def test_written_as_2022_both_readers_agree() -> None:
    data = encode_as_2022("龴" + NEW)
    assert _libxml2_reads(data) == "龴" + NEW
    assert read_as_2022(data.decode("gb18030")) == "龴" + NEW


@pytest.mark.parametrize("text", [OLD, NEW, "王秀英" + OLD[3] + NEW[-1]])
def test_gb18030_xml_reads_back_alike_in_either_edition(text: str) -> None:
    element = etree.Element("a", b=text)
    element.text = text
    data = xml_bytes(element, "GB18030", xml_declaration=True, pretty_print=False)
    assert data.startswith(DECLARED)
    back = etree.fromstring(data)
    assert (back.text, back.get("b")) == (text, text)
    referenced = sum(1 for c in text if c in OLD + NEW)
    assert data.decode("gb18030").count("&#x") == 2 * referenced  # text and attribute


def test_other_encodings_are_lxml_s_own() -> None:
    element = etree.Element("a")
    element.text = OLD
    assert xml_bytes(element, "UTF-8", xml_declaration=False, pretty_print=False) == \
        etree.tostring(element, encoding="UTF-8")


@pytest.mark.parametrize(("name", "expected"), [
    ("GB18030", True), ("gb-18030", True), ("gb_18030", True), ("GB18030-2022", True),
    ("GBK", False), ("UTF-8", False)])
def test_names(name: str, expected: bool) -> None:
    assert is_gb18030(name) is expected
