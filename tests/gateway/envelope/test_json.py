"""JWS envelopes: round trip, and jwcrypto (an independent JOSE library) both ways."""

from __future__ import annotations

import json

import pytest
from jwcrypto import jwk, jws

from gateway.crypto import SignatureAlgorithm, private_key_pem, public_key_pem
from gateway.envelope import ENVELOPE_TYP, EnvelopeFormat, PinnedKey, sign_json, verify_json
from gateway.errors import SignatureInvalid
from tests.gateway._support import (
    EDDSA,
    ES256,
    RS256,
    document_bytes,
    header,
    private_key,
    signing_key,
)

ALGORITHMS = [ES256, EDDSA, RS256]
DOCUMENT = document_bytes("change-report.json")


def _pinned(algorithm: SignatureAlgorithm) -> PinnedKey:
    return PinnedKey(private_key("j1", algorithm).public_key())


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_round_trip(algorithm):
    envelope = sign_json(DOCUMENT, header(), signing_key("j1", algorithm))
    result = verify_json(envelope, _pinned(algorithm))
    assert result.format is EnvelopeFormat.JSON
    assert result.header == header() and result.kid == "j1" and result.algorithm is algorithm
    assert result.document == DOCUMENT
    assert result.document_model() is not None


def test_the_protected_header_carries_the_envelope_header():
    envelope = json.loads(sign_json(DOCUMENT, header(conversation_id="C-1"), signing_key("j1")))
    assert set(envelope) == {"protected", "payload", "signature"}
    token = jws.JWS()
    token.deserialize(json.dumps(envelope))
    protected = json.loads(token.objects["protected"])
    assert protected == {"alg": "ES256", "kid": "j1", "typ": ENVELOPE_TYP,
                         **header(conversation_id="C-1").to_wire()}


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_jwcrypto_verifies_what_we_sign(algorithm):
    envelope = sign_json(DOCUMENT, header(), signing_key("j1", algorithm))
    key = jwk.JWK.from_pem(public_key_pem(private_key("j1", algorithm).public_key()))
    token = jws.JWS()
    token.deserialize(envelope.decode())
    token.verify(key, alg=algorithm.value)
    assert token.payload == DOCUMENT


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_we_verify_what_jwcrypto_signs(algorithm):
    key = jwk.JWK.from_pem(private_key_pem(private_key("j1", algorithm)))
    token = jws.JWS(DOCUMENT)
    protected = {"alg": algorithm.value, "kid": "j1", "typ": ENVELOPE_TYP, **header().to_wire()}
    token.add_signature(key, protected=json.dumps(protected))
    result = verify_json(token.serialize().encode(), _pinned(algorithm))
    assert result.header == header() and result.document == DOCUMENT


def test_jwcrypto_refuses_a_tampered_envelope():
    envelope = json.loads(sign_json(DOCUMENT, header(), signing_key("j1")))
    envelope["payload"] = envelope["payload"][:-4] + "AAAA"
    token = jws.JWS()
    token.deserialize(json.dumps(envelope))
    with pytest.raises(jws.InvalidJWSSignature):
        token.verify(jwk.JWK.from_pem(public_key_pem(private_key("j1").public_key())))
    with pytest.raises(SignatureInvalid):
        verify_json(json.dumps(envelope).encode(), _pinned(ES256))
