"""The JWS profile: strict parse, no extensions, base64url without padding."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gateway.crypto import (
    SignatureAlgorithm,
    SigningKey,
    b64url_decode,
    b64url_encode,
    generate_private_key,
    parse_flattened,
    sign_flattened,
)
from gateway.errors import EnvelopeMalformed, SignatureInvalid

KEY = SigningKey("k", SignatureAlgorithm.ES256, generate_private_key(SignatureAlgorithm.ES256))


@given(st.binary(max_size=200))
def test_b64url_round_trip(data):
    encoded = b64url_encode(data)
    assert "=" not in encoded and b64url_decode(encoded, "x") == data


@pytest.mark.parametrize("text", ["a", "ab=", "a+b/", "ab cd", "é"])
def test_b64url_refuses_other_encodings(text):
    with pytest.raises(EnvelopeMalformed):
        b64url_decode(text, "x")


def test_sign_and_parse():
    jws = sign_flattened(b'{"a":1}', {"x": "1"}, KEY, "t")
    parts = parse_flattened(jws, typ="t", allowed={"x"})
    assert parts.kid == "k" and parts.payload == b'{"a":1}' and parts.header["x"] == "1"
    parts.verify(KEY.private_key.public_key())


def test_header_names_must_be_allowed():
    jws = sign_flattened(b"{}", {"x": "1"}, KEY, "t")
    with pytest.raises(EnvelopeMalformed):
        parse_flattened(jws, typ="t", allowed=())


def test_another_key_does_not_verify():
    other = generate_private_key(SignatureAlgorithm.ES256).public_key()
    parts = parse_flattened(sign_flattened(b"{}", {}, KEY, "t"), typ="t", allowed=())
    with pytest.raises(SignatureInvalid):
        parts.verify(other)


def test_the_kid_is_required():
    protected = b64url_encode(json.dumps({"alg": "ES256", "typ": "t"}).encode())
    jws = json.dumps({"protected": protected, "payload": "", "signature": ""}).encode()
    with pytest.raises(EnvelopeMalformed):
        parse_flattened(jws, typ="t", allowed=())
