"""VerifiedEnvelope: frozen, and its document readable only when held."""

from __future__ import annotations

import dataclasses

import pytest

from gateway.envelope import EnvelopeFormat, VerifiedEnvelope
from tests.gateway._support import ES256, document_bytes, header


def test_documents_held_and_not_held():
    xml = VerifiedEnvelope(EnvelopeFormat.XML, header(), "k", ES256,
                           document_bytes("change-report.xml"))
    assert xml.document_element().tag == "{urn:yipanqi:mfp:2}ChangeReport"
    streamed = dataclasses.replace(xml, document=None)
    with pytest.raises(ValueError):
        streamed.document_model()
    json_ = VerifiedEnvelope(EnvelopeFormat.JSON, header(), "k", ES256,
                             document_bytes("change-report.json"))
    with pytest.raises(ValueError):
        json_.document_element()
    assert json_.document_model() == xml.document_model()
    with pytest.raises(dataclasses.FrozenInstanceError):
        xml.kid = "x"  # type: ignore[misc]
