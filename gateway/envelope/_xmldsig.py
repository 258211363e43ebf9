"""The one XML-DSig profile we write and accept.

An enveloped signature, last child of the envelope: one Reference with ``URI=""``,
transforms enveloped-signature then exc-C14N, SHA-256 digest, SignedInfo canonicalised
with exc-C14N, ECDSA-SHA256 (raw r||s) or RSA-SHA256, ``KeyInfo/KeyName`` = key id.
Anything else — other transforms, other URIs, a second Reference, ``Object`` elements —
is signature wrapping territory and refused before any crypto runs.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

from gateway.crypto import (
    ENVELOPED_SIGNATURE,
    EXC_C14N,
    SHA256_DIGEST,
    XMLDSIG_NS,
    SignatureAlgorithm,
    require_sha256_digest,
)
from gateway.envelope._canonical import escape_text, subtree_c14n
from gateway.errors import AlgorithmRefused, EnvelopeMalformed, SignatureWrapping

DS = f"{{{XMLDSIG_NS}}}"
SIGNATURE_TAG = DS + "Signature"
_DIGEST_BYTES = 32


def _signed_info(algorithm: SignatureAlgorithm, digest: bytes, *, declare_ns: bool) -> str:
    uri = algorithm.xmldsig_uri
    if uri is None:
        raise AlgorithmRefused(f"{algorithm.value} cannot sign XML envelopes (ES256 or RS256)")
    ns = f' xmlns:ds="{XMLDSIG_NS}"' if declare_ns else ""
    return (
        f"<ds:SignedInfo{ns}>"
        f'<ds:CanonicalizationMethod Algorithm="{EXC_C14N}"></ds:CanonicalizationMethod>'
        f'<ds:SignatureMethod Algorithm="{uri}"></ds:SignatureMethod>'
        '<ds:Reference URI=""><ds:Transforms>'
        f'<ds:Transform Algorithm="{ENVELOPED_SIGNATURE}"></ds:Transform>'
        f'<ds:Transform Algorithm="{EXC_C14N}"></ds:Transform>'
        f'</ds:Transforms><ds:DigestMethod Algorithm="{SHA256_DIGEST}"></ds:DigestMethod>'
        f"<ds:DigestValue>{base64.b64encode(digest).decode()}</ds:DigestValue>"
        "</ds:Reference></ds:SignedInfo>"
    )


def canonical_signed_info(algorithm: SignatureAlgorithm, digest: bytes) -> bytes:
    """The exc-C14N form of our SignedInfo — the bytes the signature value signs."""
    return _signed_info(algorithm, digest, declare_ns=True).encode()


def signature_element_xml(algorithm: SignatureAlgorithm, digest: bytes, signature: bytes,
                          kid: str) -> bytes:
    """The ``ds:Signature`` element to place as the envelope's last child."""
    return (
        f'<ds:Signature xmlns:ds="{XMLDSIG_NS}">'
        + _signed_info(algorithm, digest, declare_ns=False)
        + f"<ds:SignatureValue>{base64.b64encode(signature).decode()}</ds:SignatureValue>"
        + f"<ds:KeyInfo><ds:KeyName>{escape_text(kid)}</ds:KeyName></ds:KeyInfo>"
        + "</ds:Signature>"
    ).encode()


@dataclass(frozen=True, slots=True)
class SignatureProfile:
    """What a profile-conforming ``ds:Signature`` says, before any crypto."""

    algorithm: SignatureAlgorithm
    kid: str
    digest: bytes
    signature: bytes
    canonical_signed_info: bytes


def _children(element: etree._Element, names: Sequence[str]) -> list[etree._Element]:
    """The element children of ``element``, which must be exactly ``names`` (ds:), in order."""
    if (element.text or "").strip() or element.attrib and element.tag != DS + "Reference":
        raise SignatureWrapping(f"unexpected content in {etree.QName(element).localname}")
    children = list(element)
    found = [child.tag if isinstance(child.tag, str) else "#node" for child in children]
    if found != [DS + name for name in names]:
        raise SignatureWrapping(
            f"{etree.QName(element).localname} must hold {', '.join(names)} and nothing else"
        )
    if any((child.tail or "").strip() for child in children):
        raise SignatureWrapping(f"text inside {etree.QName(element).localname}")
    return children


def _algorithm_attribute(element: etree._Element) -> str | None:
    if len(element) or (element.text or "").strip() or set(element.attrib) != {"Algorithm"}:
        raise SignatureWrapping(f"{etree.QName(element).localname} takes only an Algorithm")
    return element.get("Algorithm")


def _base64(element: etree._Element, what: str) -> bytes:
    if len(element) or element.attrib:
        raise SignatureWrapping(f"{what} must hold only base64 text")
    text = "".join((element.text or "").split())
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise EnvelopeMalformed(f"{what} is not base64") from None


def _check_reference(reference: etree._Element) -> bytes:
    if dict(reference.attrib) != {"URI": ""}:
        raise SignatureWrapping('the one Reference must be URI="" (the whole envelope)')
    transforms, digest_method, digest_value = _children(
        reference, ("Transforms", "DigestMethod", "DigestValue"))
    steps = [_algorithm_attribute(t) for t in _children(transforms, ("Transform", "Transform"))]
    if steps != [ENVELOPED_SIGNATURE, EXC_C14N]:
        raise SignatureWrapping("transforms must be enveloped-signature then exc-C14N")
    require_sha256_digest(_algorithm_attribute(digest_method))
    digest = _base64(digest_value, "DigestValue")
    if len(digest) != _DIGEST_BYTES:
        raise EnvelopeMalformed("DigestValue is not a SHA-256 digest")
    return digest


def _key_name(key_info: etree._Element) -> str:
    (key_name,) = _children(key_info, ("KeyName",))
    kid = (key_name.text or "").strip()
    if len(key_name) or key_name.attrib or not kid:
        raise EnvelopeMalformed("KeyInfo/KeyName must name the key id")
    return kid


def read_signature(signature: etree._Element) -> SignatureProfile:
    """The facts of a ``ds:Signature``; refuses anything outside the profile."""
    signed_info, signature_value, key_info = _children(
        signature, ("SignedInfo", "SignatureValue", "KeyInfo"))
    c14n_method, signature_method, reference = _children(
        signed_info, ("CanonicalizationMethod", "SignatureMethod", "Reference"))
    algorithm = SignatureAlgorithm.from_xmldsig(_algorithm_attribute(signature_method))
    if _algorithm_attribute(c14n_method) != EXC_C14N:
        raise AlgorithmRefused("SignedInfo must be canonicalised with exc-C14N")
    return SignatureProfile(
        algorithm=algorithm,
        kid=_key_name(key_info),
        digest=_check_reference(reference),
        signature=_base64(signature_value, "SignatureValue"),
        canonical_signed_info=subtree_c14n(signed_info),
    )
