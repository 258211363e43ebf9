"""The attack suite: every hostile envelope is refused with its reason code.

Each XML case runs through both verifiers (in memory and streaming); the CLI tests check
the same files end with exit 1, a reason and no traceback.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gateway.crypto import b64url_decode, b64url_encode, private_key_pem, public_key_pem
from gateway.envelope import (
    KeySource,
    sign_json,
    sign_xml,
    verify_json,
    verify_xml,
    verify_xml_stream,
)
from gateway.errors import GatewayError
from schema.errors import YipanqiError
from schema.xmlsafe import parse_xml
from tests.gateway._support import (
    RS256,
    document_bytes,
    header,
    make_directory,
    private_key,
    run_xmlsec1,
    signing_key,
)

DIRECTORY = make_directory()
XMLDSIG_MORE = "http://www.w3.org/2001/04/xmldsig-more#"
DSIG = "http://www.w3.org/2000/09/xmldsig#"


def _xml(kid: str = "zz-2010", **overrides: Any) -> bytes:
    return sign_xml(parse_xml(document_bytes("change-report.xml")), header(**overrides),
                    signing_key(kid))


GOOD_XML = _xml()


def _swap(old: str, new: str, envelope: bytes = GOOD_XML, count: int = 1) -> bytes:
    assert old.encode() in envelope, old
    return envelope.replace(old.encode(), new.encode(), count)


def _signature(envelope: bytes = GOOD_XML) -> str:
    text = envelope.decode()
    return text[text.index("<ds:Signature"):text.index("</ds:Signature>") + 15]


def _body(envelope: bytes = GOOD_XML) -> str:
    text = envelope.decode()
    return text[text.index("<Body>"):text.index("</Body>") + 7]


XML_ATTACKS: dict[str, tuple[Callable[[], bytes], str]] = {
    "tampered body": (lambda: _swap("王秀英", "王秀花"), "signature-invalid"),
    "tampered header": (lambda: _swap("<recipient>410000-RKJS", "<recipient>411600-RKJS"),
                        "signature-invalid"),
    "tampered signature value": (lambda: _swap("<ds:SignatureValue>", "<ds:SignatureValue>AA"),
                                 "signature-invalid"),
    "whitespace in a header value": (lambda: _swap("<messageId>M-0001", "<messageId> M-0001"),
                                     "signature-invalid"),
    "whitespace between header and body": (lambda: _swap("</Header><Body>", "</Header>\n<Body>"),
                                           "signature-invalid"),
    "whitespace in the document": (lambda: _swap("<name>王秀英", "<name>\n王秀英"),
                                   "signature-invalid"),
    "comment spliced into signed text": (lambda: _swap("王秀英", "王<!---->秀英"), "malformed"),
    "comment in the header": (lambda: _swap("</Header>", "<!-- hi --></Header>"), "malformed"),
    "comment between the parts": (lambda: _swap("</Header>", "</Header><!-- x -->"),
                                  "malformed"),
    "comment after the envelope": (lambda: GOOD_XML + b"<!-- x -->", "malformed"),
    "processing instruction": (lambda: _swap("<Body>", "<Body><?evil x?>"), "malformed"),
    "signature removed": (lambda: _swap(_signature(), ""), "signature-missing"),
    "signature removed, the Body twice": (lambda: _swap(_signature(), _body()),
                                          "signature-wrapping"),
    "second Body after the first": (lambda: _swap("</Body>", "</Body>" + _body()),
                                    "signature-wrapping"),
    "second Body inside the document": (
        lambda: _swap("</ChangeReport>", _body().replace("<Body>", '<Body xmlns="urn:yipanqi'
                                                         ':envelope:1">') + "</ChangeReport>"),
        "signature-wrapping"),
    "second signature": (lambda: _swap("</Envelope>", _signature() + "</Envelope>"),
                         "signature-wrapping"),
    "signature moved into the Body": (
        lambda: _swap(_signature(), "").replace(b"</Body>", _signature().encode() + b"</Body>"),
        "signature-wrapping"),
    "signature moved before the body": (
        lambda: _swap(_signature(), "").replace(b"<Body>", _signature().encode() + b"<Body>"),
        "signature-wrapping"),
    "reference to a sub-element": (lambda: _swap('URI=""', 'URI="#body"'),
                                   "signature-wrapping"),
    "reference to an XPointer": (lambda: _swap('URI=""', 'URI="#xpointer(/)"'),
                                 "signature-wrapping"),
    "reference with an Id moved": (lambda: _swap('URI=""', 'URI="" Id="r1"'),
                                   "signature-wrapping"),
    "second reference": (
        lambda: _swap("</ds:SignedInfo>", _signature()[_signature().index("<ds:Reference"):
                                                       _signature().index("</ds:Reference>")
                                                       + 15] + "</ds:SignedInfo>"),
        "signature-wrapping"),
    "no enveloped transform": (
        lambda: _swap(f'<ds:Transform Algorithm="{DSIG}enveloped-signature"></ds:Transform>', ""),
        "signature-wrapping"),
    "xpath transform": (
        lambda: _swap(f'{DSIG}enveloped-signature"', "http://www.w3.org/TR/1999/REC-xpath-19991116"
                      '"'), "signature-wrapping"),
    "ds:Object in the signature": (
        lambda: _swap("</ds:KeyInfo>", "</ds:KeyInfo><ds:Object>x</ds:Object>"),
        "signature-wrapping"),
    "SHA-1 signature method": (
        lambda: _swap(f"{XMLDSIG_MORE}ecdsa-sha256", f"{XMLDSIG_MORE}ecdsa-sha1"),
        "algorithm-refused"),
    "RSA-SHA1 signature method": (lambda: _swap(f"{XMLDSIG_MORE}ecdsa-sha256", f"{DSIG}rsa-sha1"),
                                  "algorithm-refused"),
    "MD5 signature method": (lambda: _swap(f"{XMLDSIG_MORE}ecdsa-sha256", f"{XMLDSIG_MORE}rsa-md5"),
                             "algorithm-refused"),
    "HMAC signature method": (lambda: _swap(f"{XMLDSIG_MORE}ecdsa-sha256",
                                            f"{XMLDSIG_MORE}hmac-sha256"), "algorithm-refused"),
    "SHA-1 digest": (lambda: _swap("http://www.w3.org/2001/04/xmlenc#sha256", f"{DSIG}sha1"),
                     "algorithm-refused"),
    "MD5 digest": (lambda: _swap("http://www.w3.org/2001/04/xmlenc#sha256",
                                 f"{XMLDSIG_MORE}md5"), "algorithm-refused"),
    "inclusive C14N of SignedInfo": (
        lambda: _swap('<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"',
                      '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n'
                      '-20010315"'), "algorithm-refused"),
    "DTD": (lambda: GOOD_XML.replace(b"<Envelope", b"<!DOCTYPE Envelope []>\n<Envelope", 1),
            "malformed"),
    "entity expansion": (
        lambda: GOOD_XML.replace(
            b"<Envelope", '<!DOCTYPE Envelope [<!ENTITY x "王秀英">]>\n<Envelope'.encode(), 1
        ).replace("王秀英".encode(), b"&x;", 1),
        "malformed"),
    "external entity": (
        lambda: GOOD_XML.replace(b"<Envelope", b'<!DOCTYPE Envelope [<!ENTITY x SYSTEM '
                                 b'"file:///etc/passwd">]>\n<Envelope', 1).replace(
            "王秀英".encode(), b"&x;", 1), "malformed"),
    "undeclared entity": (lambda: _swap("王秀英", "&x;"), "malformed"),
    "not XML": (lambda: GOOD_XML[:200], "malformed"),
    "attribute on a signed element": (lambda: _swap("<Body>", '<Body Id="body">'), "malformed"),
    "key of another node": (lambda: _xml("zk-2010"), "key-not-sender"),
    "unknown key": (lambda: _xml("nobody"), "key-unknown"),
    "expired key": (lambda: _xml("zz-2009"), "key-expired"),
    "key not yet valid": (lambda: _xml("zz-2010", created_at=header().created_at.replace(
        year=2009)), "key-expired"),
    "revoked key": (lambda: _xml("zz-revoked"), "key-revoked"),
    "route not permitted": (lambda: _xml(recipient="411600-RKJS"), "not-permitted"),
    "header announces another document": (lambda: _xml(message_type="PersonRecord"),
                                          "document-mismatch"),
}


def _refusal(verify: Callable[[], object]) -> str:
    with pytest.raises(YipanqiError) as caught:
        verify()
    assert isinstance(caught.value, GatewayError)
    return caught.value.code


@pytest.mark.parametrize("attack", XML_ATTACKS)
def test_xml_attack_is_refused(attack: str):
    make, reason = XML_ATTACKS[attack]
    envelope = make()
    assert _refusal(lambda: verify_xml(envelope, DIRECTORY)) == reason


@pytest.mark.parametrize("attack", XML_ATTACKS)
def test_xml_attack_is_refused_while_streaming(attack: str):
    make, reason = XML_ATTACKS[attack]
    envelope = make()
    assert _refusal(lambda: verify_xml_stream(io.BytesIO(envelope), DIRECTORY,
                                              io.BytesIO())) == reason


def test_the_unmodified_envelope_is_accepted():
    assert verify_xml(GOOD_XML, DIRECTORY).kid == "zz-2010"
    assert verify_xml_stream(io.BytesIO(GOOD_XML), DIRECTORY).kid == "zz-2010"


def test_a_validly_signed_rsa_sha1_envelope_from_xmlsec1_is_refused(tmp_path: Path):
    from tests.gateway.envelope.test_xml import xmlsec1_template

    template = xmlsec1_template(RS256, "zz-rsa", pretty=False).replace(
        f"{XMLDSIG_MORE}rsa-sha256".encode(), f"{DSIG}rsa-sha1".encode())
    (tmp_path / "t.xml").write_bytes(template)
    (tmp_path / "k.pem").write_bytes(private_key_pem(private_key("zz-rsa", RS256)))
    signed = run_xmlsec1("--sign", "--privkey-pem", tmp_path / "k.pem", "--output",
                         tmp_path / "s.xml", tmp_path / "t.xml")
    assert signed.returncode == 0, signed.stderr
    (tmp_path / "k.pub.pem").write_bytes(public_key_pem(private_key("zz-rsa", RS256)
                                                        .public_key()))
    assert run_xmlsec1("--verify", "--pubkey-pem", tmp_path / "k.pub.pem",
                       tmp_path / "s.xml").returncode == 0  # a weaker peer would accept it
    assert _refusal(lambda: verify_xml((tmp_path / "s.xml").read_bytes(), DIRECTORY)) == \
        "algorithm-refused"


# ---- JWS ----------------------------------------------------------------------------

GOOD_JSON = sign_json(document_bytes("change-report.json"), header(), signing_key("zz-2010"))


def _jws(envelope: bytes = GOOD_JSON) -> dict[str, str]:
    parts: dict[str, str] = json.loads(envelope)
    return parts


def _protected(envelope: bytes = GOOD_JSON) -> dict[str, object]:
    header_json: dict[str, object] = json.loads(b64url_decode(_jws(envelope)["protected"], "h"))
    return header_json


def _with_protected(raw_header: bytes, signature: bytes = b"") -> bytes:
    parts = _jws()
    parts["protected"] = b64url_encode(raw_header)
    parts["signature"] = b64url_encode(signature)
    return json.dumps(parts).encode()


def _resigned_with(alg: str, secret: bytes) -> bytes:
    """An envelope signed with HMAC — keyed with the sender's *public* key PEM."""
    import hashlib
    import hmac

    protected = json.dumps({**_protected(), "alg": alg}).encode()
    parts = _jws()
    signing_input = f"{b64url_encode(protected)}.{parts['payload']}".encode()
    digest = {"HS256": hashlib.sha256, "HS1": hashlib.sha1}[alg]
    return _with_protected(protected, hmac.new(secret, signing_input, digest).digest())


def _raw_header(**changes: object) -> bytes:
    return json.dumps({**_protected(), **changes}).encode()


def _json_signed(payload: bytes, kid: str = "zz-2010", **overrides: Any) -> bytes:
    return sign_json(payload, header(**overrides), signing_key(kid))


ZZ_PUBLIC_PEM = public_key_pem(private_key("zz-2010").public_key())

JSON_ATTACKS: dict[str, tuple[Callable[[], bytes], str]] = {
    "tampered payload": (lambda: json.dumps({**_jws(), "payload": b64url_encode(
        document_bytes("change-report.json").replace("王秀英".encode(), "王秀花".encode()))}
    ).encode(), "signature-invalid"),
    "tampered header": (lambda: _with_protected(_raw_header(recipient="411600-RKJS"),
                                                b64url_decode(_jws()["signature"], "s")),
                        "signature-invalid"),
    "alg none": (lambda: _with_protected(_raw_header(alg="none")), "algorithm-refused"),
    "alg None": (lambda: _with_protected(_raw_header(alg="None")), "algorithm-refused"),
    "HS256 keyed with the public key": (lambda: _resigned_with("HS256", ZZ_PUBLIC_PEM),
                                        "algorithm-refused"),
    "SHA-1 (RS1)": (lambda: _with_protected(_raw_header(alg="RS1")), "algorithm-refused"),
    "SHA-1 HMAC (HS1)": (lambda: _resigned_with("HS1", ZZ_PUBLIC_PEM), "algorithm-refused"),
    "MD5": (lambda: _with_protected(_raw_header(alg="RSMD5")), "algorithm-refused"),
    "PS256 (not in our set)": (lambda: _with_protected(_raw_header(alg="PS256")),
                               "algorithm-refused"),
    "alg of another key type": (lambda: _with_protected(_raw_header(alg="EdDSA")),
                                "algorithm-refused"),
    "duplicate keys in the protected header": (
        lambda: _with_protected(_raw_header()[:-1] + b', "sender": "411600-RKJS"}'), "malformed"),
    "duplicate alg": (lambda: _with_protected(_raw_header()[:-1] + b', "alg": "none"}'),
                      "malformed"),
    "duplicate member": (lambda: GOOD_JSON.rstrip()[:-1] + b', "payload": "e30"}',
                         "malformed"),
    "unprotected header": (lambda: json.dumps({**_jws(), "header": {"kid": "zk-2010"}}).encode(),
                           "malformed"),
    "crit": (lambda: _with_protected(_raw_header(crit=["b64"], b64=False)), "malformed"),
    "jku": (lambda: _with_protected(_raw_header(jku="http://evil.example/keys")), "malformed"),
    "wrong typ": (lambda: _with_protected(_raw_header(typ="JWT")), "malformed"),
    "padding in base64url": (lambda: json.dumps({**_jws(), "signature": _jws()["signature"]
                                                 + "=="}).encode(), "malformed"),
    "not JSON": (lambda: GOOD_JSON[:50], "malformed"),
    "signature member removed": (
        lambda: json.dumps({k: v for k, v in _jws().items() if k != "signature"}).encode(),
        "signature-missing"),
    "payload alone": (lambda: json.dumps({"payload": _jws()["payload"]}).encode(), "malformed"),
    "payload with duplicate keys": (
        lambda: _json_signed(b'{"type": "ChangeReport", "schemaVersion": "2", "type": "x"}'),
        "malformed"),
    "payload of another type": (lambda: _json_signed(document_bytes("person-record.json")),
                                "document-mismatch"),
    "key of another node": (lambda: _json_signed(document_bytes("change-report.json"),
                                                 "zk-2010"), "key-not-sender"),
    "expired key": (lambda: _json_signed(document_bytes("change-report.json"), "zz-2009"),
                    "key-expired"),
    "revoked key": (lambda: _json_signed(document_bytes("change-report.json"), "zz-revoked"),
                    "key-revoked"),
    "unknown key": (lambda: _json_signed(document_bytes("change-report.json"), "nobody"),
                    "key-unknown"),
    "version not accepted": (
        lambda: _json_signed(document_bytes("change-report.json", "v1"), schema_version="1"),
        "version-not-accepted"),
}


@pytest.mark.parametrize("attack", JSON_ATTACKS)
def test_json_attack_is_refused(attack: str):
    make, reason = JSON_ATTACKS[attack]
    envelope = make()
    keys: KeySource = DIRECTORY
    assert _refusal(lambda: verify_json(envelope, keys)) == reason


def test_the_unmodified_jws_is_accepted():
    assert verify_json(GOOD_JSON, DIRECTORY).header == header()
