"""XML envelopes in memory: round trip, verified content only, xmlsec1 both ways."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from gateway.crypto import SignatureAlgorithm, private_key_pem, public_key_pem
from gateway.envelope import EnvelopeFormat, PinnedKey, sign_xml, verify_xml
from gateway.envelope._xml import header_xml
from gateway.errors import SignatureInvalid
from schema.xmlsafe import parse_xml
from tests.gateway._support import (
    ES256,
    RS256,
    document_bytes,
    header,
    private_key,
    run_xmlsec1,
    signing_key,
)

ALGORITHMS = [ES256, RS256]
DOCUMENTS = [("change-report.xml", "ChangeReport"), ("person-record.xml", "PersonRecord"),
             ("change-report-batch.xml", "ChangeReportBatch")]


def _envelope(algorithm: SignatureAlgorithm, name: str = "change-report.xml",
              message_type: str = "ChangeReport") -> bytes:
    return sign_xml(parse_xml(document_bytes(name)), header(message_type),
                    signing_key("k1", algorithm))


def _pinned(algorithm: SignatureAlgorithm) -> PinnedKey:
    return PinnedKey(private_key("k1", algorithm).public_key())


@pytest.mark.parametrize("algorithm", ALGORITHMS)
@pytest.mark.parametrize(("name", "message_type"), DOCUMENTS)
def test_round_trip_gives_the_canonical_document(algorithm, name, message_type):
    result = verify_xml(_envelope(algorithm, name, message_type), _pinned(algorithm))
    assert result.format is EnvelopeFormat.XML
    assert result.header == header(message_type)
    assert result.kid == "k1" and result.algorithm is algorithm
    original = parse_xml(document_bytes(name))
    assert result.document == etree.tostring(original, method="c14n", exclusive=True)
    assert result.document_model() is not None


def test_result_is_frozen():
    result = verify_xml(_envelope(ES256), _pinned(ES256))
    with pytest.raises(AttributeError):
        result.kid = "other"  # type: ignore[misc]


def test_header_xml_is_canonical():
    element = parse_xml(b'<E xmlns="urn:yipanqi:envelope:1">' + header_xml(header()) + b"</E>")
    canonical = etree.tostring(element[0], method="c14n", exclusive=True)
    assert canonical == header_xml(header()).replace(
        b"<Header>", b'<Header xmlns="urn:yipanqi:envelope:1">')


def test_another_key_is_refused():
    other = PinnedKey(private_key("someone-else").public_key())
    with pytest.raises(SignatureInvalid):
        verify_xml(_envelope(ES256), other)


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_xmlsec1_verifies_what_we_sign(tmp_path: Path, algorithm):
    envelope = tmp_path / "envelope.xml"
    envelope.write_bytes(_envelope(algorithm))
    pem = tmp_path / "key.pub.pem"
    pem.write_bytes(public_key_pem(private_key("k1", algorithm).public_key()))
    completed = run_xmlsec1("--verify", "--pubkey-pem", pem, envelope)
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr.startswith("OK")


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_xmlsec1_refuses_what_was_tampered(tmp_path: Path, algorithm):
    envelope = tmp_path / "envelope.xml"
    envelope.write_bytes(_envelope(algorithm).replace(b"410100-RKJS", b"411600-RKJS", 1))
    pem = tmp_path / "key.pub.pem"
    pem.write_bytes(public_key_pem(private_key("k1", algorithm).public_key()))
    assert run_xmlsec1("--verify", "--pubkey-pem", pem, envelope).returncode != 0


def xmlsec1_template(algorithm: SignatureAlgorithm, kid: str, *, pretty: bool) -> bytes:
    """An envelope with an empty signature template, as an xmlsec1 user would write one."""
    document = document_bytes("change-report.xml").split(b"?>", 1)[1].strip()
    gap = b"\n  " if pretty else b""
    method = algorithm.xmldsig_uri
    assert method is not None
    return b"".join([
        b'<?xml version="1.0" encoding="UTF-8"?>\n<Envelope xmlns="urn:yipanqi:envelope:1">', gap,
        header_xml(header()), gap, b"<Body>", document, b"</Body>", gap,
        b'<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">', gap,
        b'<ds:SignedInfo><ds:CanonicalizationMethod '
        b'Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>',
        b'<ds:SignatureMethod Algorithm="' + method.encode() + b'"/>',
        b'<ds:Reference URI=""><ds:Transforms>',
        b'<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>',
        b'<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>',
        b'<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/>',
        b"<ds:DigestValue/></ds:Reference></ds:SignedInfo>", gap,
        b"<ds:SignatureValue/>", gap,
        b"<ds:KeyInfo><ds:KeyName>" + kid.encode() + b"</ds:KeyName></ds:KeyInfo>",
        gap, b"</ds:Signature>\n</Envelope>\n",
    ])


def xmlsec1_sign(tmp_path: Path, algorithm: SignatureAlgorithm, *, pretty: bool) -> bytes:
    template = tmp_path / "template.xml"
    template.write_bytes(xmlsec1_template(algorithm, "k1", pretty=pretty))
    key = tmp_path / "key.pem"
    key.write_bytes(private_key_pem(private_key("k1", algorithm)))
    signed = tmp_path / "signed.xml"
    completed = run_xmlsec1("--sign", "--privkey-pem", key, "--output", signed, template)
    assert completed.returncode == 0, completed.stderr
    return signed.read_bytes()


@pytest.mark.parametrize("pretty", [False, True])
@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_we_verify_what_xmlsec1_signs(tmp_path: Path, algorithm, pretty):
    result = verify_xml(xmlsec1_sign(tmp_path, algorithm, pretty=pretty), _pinned(algorithm))
    assert result.header == header() and result.kid == "k1"
    assert result.document == etree.tostring(parse_xml(document_bytes("change-report.xml")),
                                             method="c14n", exclusive=True)
