"""The signature algorithms the exchange accepts — and, by omission, every other one.

An algorithm is looked up by its JOSE name or its XML-DSig URI; anything not in
:class:`SignatureAlgorithm` (``none``, HMAC, SHA-1, MD5, unknown names) raises
:class:`~gateway.errors.AlgorithmRefused`. Weak algorithms are not members to exclude:
they simply do not exist here.
"""

from __future__ import annotations

from enum import StrEnum

from gateway.errors import AlgorithmRefused

XMLDSIG_NS = "http://www.w3.org/2000/09/xmldsig#"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
ENVELOPED_SIGNATURE = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
SHA256_DIGEST = "http://www.w3.org/2001/04/xmlenc#sha256"


class SignatureAlgorithm(StrEnum):
    """JOSE name of each accepted algorithm; all hash with SHA-256 (Ed25519: SHA-512 inside)."""

    ES256 = "ES256"
    EDDSA = "EdDSA"
    RS256 = "RS256"

    @property
    def xmldsig_uri(self) -> str | None:
        """The XML-DSig SignatureMethod URI, or ``None`` if XML envelopes do not use it."""
        return _XMLDSIG_URIS.get(self)

    @classmethod
    def from_jose(cls, name: object) -> SignatureAlgorithm:
        """The algorithm a JWS ``alg`` names; :class:`AlgorithmRefused` for anything else."""
        for member in cls:
            if member.value == name:
                return member
        raise AlgorithmRefused(f"JWS algorithm {name!r} is not accepted")

    @classmethod
    def from_xmldsig(cls, uri: str | None) -> SignatureAlgorithm:
        """The algorithm a SignatureMethod URI names; :class:`AlgorithmRefused` otherwise."""
        for member, member_uri in _XMLDSIG_URIS.items():
            if member_uri == uri:
                return member
        raise AlgorithmRefused(f"XML-DSig signature method {uri!r} is not accepted")


# EdDSA has no XML-DSig profile we accept (RFC 9231's ed25519 is not in the design).
_XMLDSIG_URIS: dict[SignatureAlgorithm, str] = {
    SignatureAlgorithm.ES256: "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
    SignatureAlgorithm.RS256: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
}


def require_sha256_digest(uri: str | None) -> None:
    """Refuse any XML-DSig DigestMethod but SHA-256."""
    if uri != SHA256_DIGEST:
        raise AlgorithmRefused(f"XML-DSig digest method {uri!r} is not accepted")
