"""The restricted-profile canonicaliser agrees with lxml's exc-C14N."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from gateway.envelope._canonical import escape_text, nested_c14n, start_tag
from gateway.errors import EnvelopeMalformed
from schema.xmlsafe import parse_xml


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"])
               | st.sampled_from("\r\n\t&<>\"'"), max_size=30))
def test_escape_text_matches_c14n(text):
    element = etree.Element("a")
    element.text = text
    assert etree.tostring(element, method="c14n") == f"<a>{escape_text(text)}</a>".encode()


def test_nested_c14n_drops_the_inherited_declaration():
    root = parse_xml(b'<a xmlns="urn:x"><b>1<c/></b><p:d xmlns:p="urn:x"><p:e/></p:d></a>')
    whole = etree.tostring(root, method="c14n", exclusive=True)
    pieces = start_tag(root, None) + nested_c14n(root[0], "urn:x") + nested_c14n(
        root[1], "urn:x") + b"</a>"
    assert pieces == whole


@pytest.mark.parametrize("xml", [
    b'<a xmlns="urn:x"><b attr="1"/></a>',
    b'<a xmlns="urn:x"><p:b xmlns:p="urn:x"><c xmlns="urn:y"/></p:b></a>',
])
def test_outside_the_profile_is_refused(xml):
    root = parse_xml(xml)
    with pytest.raises(EnvelopeMalformed):
        nested_c14n(root[0], "urn:x")


def test_relative_namespace_is_refused():
    with pytest.raises(EnvelopeMalformed):
        nested_c14n(parse_xml(b'<a xmlns="urn:x"><b xmlns:r="rel"/></a>')[0], "urn:x")
