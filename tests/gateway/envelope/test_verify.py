"""One entry point for both formats; the property: verify(sign(header, doc)) gives them back."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gateway.envelope import (
    EnvelopeFormat,
    EnvelopeHeader,
    PinnedKey,
    detect_format,
    sign_json,
    sign_xml,
    verify_envelope,
)
from gateway.errors import EnvelopeMalformed
from schema.xmlsafe import parse_xml
from tests.gateway._support import document_bytes, private_key, signing_key
from tests.gateway.envelope.test_header import ids, moments, node_ids

KEY = signing_key("v1")
PINNED = PinnedKey(private_key("v1").public_key())


@pytest.mark.parametrize(("head", "expected"), [
    (b"<?xml version='1.0'?><a/>", EnvelopeFormat.XML), (b"\xef\xbb\xbf <a/>", EnvelopeFormat.XML),
    (b'\n {"protected": ""}', EnvelopeFormat.JSON)])
def test_detect_format(head, expected):
    assert detect_format(head) is expected


@pytest.mark.parametrize(("head", "said"), [
    (b"", "this one with ''"), (b"hello", "this one with 'hello'"), (b"[1]", "with '[1]'"),
    ("<a/>".encode("utf-16"), "UTF-16-LE: send it as UTF-8"),
    ("<a/>".encode("utf-16-be"), "UTF-16-BE"), ('{"a": 1}'.encode("utf-16-le"), "UTF-16-LE"),
    ("{}".encode("utf-32"), "UTF-32-LE")])
def test_neither_format(head, said):
    with pytest.raises(EnvelopeMalformed) as caught:
        detect_format(head)
    assert said in caught.value.message


headers = st.builds(EnvelopeHeader, message_id=ids, message_type=st.just("ChangeReport"),
                    sender=node_ids, recipient=node_ids, created_at=moments,
                    schema_version=st.just("2"), conversation_id=st.none() | ids,
                    ref_to_message_id=st.none() | ids)


@settings(max_examples=60, deadline=None)
@given(header=headers)
def test_round_trip_of_any_header(header: EnvelopeHeader):
    xml = verify_envelope(sign_xml(parse_xml(document_bytes("change-report.xml")), header, KEY),
                          PINNED)
    json_ = verify_envelope(sign_json(document_bytes("change-report.json"), header, KEY), PINNED)
    assert xml.header == header == json_.header
    assert xml.document_model() == json_.document_model()
