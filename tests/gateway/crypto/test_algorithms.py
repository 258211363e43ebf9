"""Only ES256, EdDSA and RS256 exist; everything else is refused by name."""

from __future__ import annotations

import pytest

from gateway.crypto import SignatureAlgorithm, require_sha256_digest
from gateway.errors import AlgorithmRefused


def test_the_accepted_set():
    assert {a.value for a in SignatureAlgorithm} == {"ES256", "EdDSA", "RS256"}


@pytest.mark.parametrize("name", ["none", "None", "", "HS256", "HS512", "RS1", "RS384", "PS256",
                                  "ES256K", "es256", None, 256])
def test_jose_names_outside_the_set_are_refused(name):
    with pytest.raises(AlgorithmRefused):
        SignatureAlgorithm.from_jose(name)


@pytest.mark.parametrize("uri", [
    "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
    "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1",
    "http://www.w3.org/2001/04/xmldsig-more#rsa-md5",
    "http://www.w3.org/2000/09/xmldsig#hmac-sha1",
    "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256",
    "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1",
    None,
])
def test_xmldsig_methods_outside_the_set_are_refused(uri):
    with pytest.raises(AlgorithmRefused):
        SignatureAlgorithm.from_xmldsig(uri)


def test_eddsa_has_no_xml_profile():
    assert SignatureAlgorithm.EDDSA.xmldsig_uri is None
    assert SignatureAlgorithm.from_xmldsig(SignatureAlgorithm.ES256.xmldsig_uri) is \
        SignatureAlgorithm.ES256


@pytest.mark.parametrize("uri", ["http://www.w3.org/2000/09/xmldsig#sha1",
                                 "http://www.w3.org/2001/04/xmldsig-more#md5", None])
def test_weak_digests_are_refused(uri):
    with pytest.raises(AlgorithmRefused):
        require_sha256_digest(uri)
