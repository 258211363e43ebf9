"""XML form: parse(serialise(x)) == x for every document type in both versions."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from lxml import etree

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


#: Private-use code points that GB18030-2005 gave 24 characters which GB18030-2022 moved to
#: standard code points (U+E81E is U+9FB4 now). libxml2 writes them with the bytes of the
#: standard character, so they read back as that character: see the xfail below.
GB18030_MOVED = frozenset(
    "\ue78d\ue78e\ue78f\ue790\ue791\ue792\ue793\ue794\ue795\ue796\ue816\ue817\ue818"
    "\ue81e\ue826\ue82b\ue82c\ue831\ue832\ue83b\ue843\ue854\ue855\ue864"
)


@pytest.mark.parametrize(("name", "version"), DOCUMENT_KINDS)
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_gb18030_round_trip(name: str, version: str, data: st.DataObject) -> None:
    document: StandardModel = data.draw(documents(name, version))
    assume(not GB18030_MOVED & set(dumps_xml(document).decode()))
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


@pytest.mark.xfail(
    strict=False,  # depends on the libxml2 build lxml carries, not on our code
    reason="libxml2 writes the 24 private-use characters GB18030-2022 moved with the bytes "
    "of their new code points, so U+E81E comes back as U+9FB4 from a GB18030 document",
)
def test_gb18030_private_use_characters_round_trip() -> None:
    changed = {}
    for character in sorted(GB18030_MOVED):
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
