"""XML form: parse(serialise(x)) == x for every document type in both versions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from schema.gb18030 import PUA_2005_TO_2022
from schema.models._base import StandardModel
from schema.xmlcodec import dumps_xml, loads_xml
from tests.schema.rules._build import record
from tests.schema.strategies import DOCUMENT_KINDS, documents

EXAMPLES = settings(max_examples=30, deadline=None)


@pytest.mark.parametrize(("name", "version"), DOCUMENT_KINDS)
@EXAMPLES
@given(data=st.data())
def test_round_trip(name: str, version: str, data: st.DataObject) -> None:
    document: StandardModel = data.draw(documents(name, version))
    xml = dumps_xml(document)
    parsed = loads_xml(xml)
    assert parsed == document
    assert type(parsed) is type(document)
    # Lexically stable too: same offsets, same fractions, same element order.
    assert dumps_xml(parsed) == xml
    assert loads_xml(dumps_xml(document, pretty=False)) == document


#: The 24 private-use code points GB18030-2005 gave characters that GB18030-2022 moved to
#: standard code points (U+E81E is U+9FB4 now), and those 24 characters: the same bytes read
#: as one or the other, by edition. They travel as character references.
GB18030_MOVED = sorted(map(chr, [*PUA_2005_TO_2022, *PUA_2005_TO_2022.values()]))


@pytest.mark.parametrize(("name", "version"), DOCUMENT_KINDS)
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_gb18030_round_trip(name: str, version: str, data: st.DataObject) -> None:
    document: StandardModel = data.draw(documents(name, version))
    xml = dumps_xml(document, encoding="GB18030")
    assert xml.startswith(b"<?xml version='1.0' encoding='GB18030'?>")
    assert loads_xml(xml) == document
    # The same document whatever the encoding it travelled in.
    assert etree.tostring(etree.fromstring(xml)) == etree.tostring(
        etree.fromstring(dumps_xml(document))
    )


def test_gb18030_bytes_are_not_utf8() -> None:
    """A GB18030 file really is GB18030: 王 is CD F5, not E7 8E 8B."""
    xml = dumps_xml(record("2"), encoding="GB18030")
    assert "王".encode("gb18030") in xml
    assert "王".encode() not in xml
    assert loads_xml(xml) == record("2")


def test_the_characters_the_gb18030_editions_read_apart_round_trip() -> None:
    changed = {}
    for character in GB18030_MOVED:
        document = record("2", name=f"王{character}")
        back = loads_xml(dumps_xml(document, encoding="GB18030"))
        if back != document:
            changed[f"U+{ord(character):04X}"] = back.name  # type: ignore[attr-defined]
    assert changed == {}


@pytest.mark.parametrize(("name", "version"), DOCUMENT_KINDS)
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_wire_form(name: str, version: str, data: st.DataObject) -> None:
    document: StandardModel = data.draw(documents(name, version))
    root = etree.fromstring(dumps_xml(document))
    assert root.tag == f"{{urn:yipanqi:mfp:{version}}}{name}"
    assert root.nsmap == {None: f"urn:yipanqi:mfp:{version}"}
    for element in root.iter():
        assert isinstance(element.tag, str)
        assert element.tag.startswith(f"{{urn:yipanqi:mfp:{version}}}")
        assert not element.attrib
