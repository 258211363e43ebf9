"""XML envelopes of one document: build, sign and verify (whole document in memory).

Signing writes the envelope directly in canonical form, so the digest is a hash of the
bytes written. Verifying parses once with the hardened parser, checks the structure and
the signature profile, digests the exc-C14N of the envelope minus its signature, checks
the signature, and then re-reads header and document from those canonical bytes only.
"""

from __future__ import annotations

import hashlib
import hmac

from lxml import etree

from gateway.crypto import SigningKey, verify_bytes
from gateway.envelope._canonical import (
    BODY_CLOSE,
    BODY_OPEN,
    ENVELOPE_CLOSE,
    ENVELOPE_OPEN,
    check_plain_element,
    escape_text,
    split_tag,
    subtree_c14n,
)
from gateway.envelope._header import EnvelopeHeader
from gateway.envelope._keysource import KeySource
from gateway.envelope._result import EnvelopeFormat, VerifiedEnvelope
from gateway.envelope._xmldsig import (
    SIGNATURE_TAG,
    canonical_signed_info,
    read_signature,
    signature_element_xml,
)
from gateway.errors import (
    DocumentMismatch,
    EnvelopeMalformed,
    SignatureInvalid,
    SignatureMissing,
    SignatureWrapping,
)
from schema.documents import ENVELOPE_NAMESPACE
from schema.errors import MalformedDocument
from schema.xmlsafe import parse_xml

ENV = f"{{{ENVELOPE_NAMESPACE}}}"
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
_PARTS = [ENV + "Header", ENV + "Body", SIGNATURE_TAG]


def header_xml(header: EnvelopeHeader) -> bytes:
    """The canonical ``<Header>`` (inside an envelope-namespace parent)."""
    fields = "".join(f"<{name}>{escape_text(value)}</{name}>"
                     for name, value in header.to_wire().items())
    return f"<Header>{fields}</Header>".encode()


def signature_xml(digest: bytes, key: SigningKey) -> bytes:
    """The enveloped ``ds:Signature`` for a SHA-256 digest of the canonical envelope."""
    signed_info = canonical_signed_info(key.algorithm, digest)
    return signature_element_xml(key.algorithm, digest, key.sign(signed_info), key.kid)


def sign_xml(document: etree._Element, header: EnvelopeHeader, key: SigningKey) -> bytes:
    """An envelope around ``document`` (a parsed, checked root element), signed by ``key``."""
    signed = ENVELOPE_OPEN + header_xml(header) + BODY_OPEN + subtree_c14n(document) + BODY_CLOSE
    digest = hashlib.sha256(signed + ENVELOPE_CLOSE).digest()
    return XML_DECLARATION + signed + signature_xml(digest, key) + ENVELOPE_CLOSE + b"\n"


def parse_envelope(data: bytes) -> etree._Element:
    """The hardened parse, with comments and processing instructions refused outright.

    exc-C14N drops comments, so a comment spliced into signed text would leave the
    signature valid while changing what a naive reader sees; we refuse them instead.
    """
    try:
        root = parse_xml(data)
    except MalformedDocument as exc:
        raise EnvelopeMalformed(exc.message) from None
    outside = list(root.itersiblings(preceding=True)) + list(root.itersiblings())
    for _ in root.iter(etree.Comment, etree.ProcessingInstruction):
        raise EnvelopeMalformed("comments and processing instructions are not allowed")
    if outside:
        raise EnvelopeMalformed("comments and processing instructions are not allowed")
    return root


def envelope_parts(root: etree._Element) -> tuple[etree._Element, etree._Element,
                                                  etree._Element]:
    """Header, Body and Signature: exactly these, once each, in this order."""
    if root.tag != ENV + "Envelope":
        raise EnvelopeMalformed(f"root element {etree.QName(root).text} is not an envelope")
    check_plain_element(root)
    children = list(root)
    if [child.tag for child in children] == _PARTS[:2] and \
            next(root.iter(SIGNATURE_TAG), None) is None:
        raise SignatureMissing("the envelope is not signed: no ds:Signature after the Body")
    if [child.tag for child in children] != _PARTS:
        raise SignatureWrapping("an envelope holds Header, Body, ds:Signature — once each")
    if sum(1 for _ in root.iter(SIGNATURE_TAG, ENV + "Body")) != 2:
        raise SignatureWrapping("a second Body or signature is hidden in the envelope")
    if (root.text or "").strip() or any((child.tail or "").strip() for child in children):
        raise EnvelopeMalformed("text between the parts of the envelope")
    header, body, signature = children
    check_plain_element(header)
    check_plain_element(body)
    return header, body, signature


def read_header(header: etree._Element) -> EnvelopeHeader:
    """The header of a (verified) ``<Header>`` element."""
    fields: dict[str, str] = {}
    for child in header:
        check_plain_element(child)
        namespace, name = split_tag(child)
        if namespace != ENVELOPE_NAMESPACE or len(child) or name in fields:
            raise EnvelopeMalformed(f"header field {name} is repeated or not plain text")
        fields[name] = child.text or ""
    return EnvelopeHeader.from_wire(fields)


def body_document(body: etree._Element) -> etree._Element:
    children = list(body)
    if len(children) != 1 or (body.text or "").strip() or (children[0].tail or "").strip():
        raise EnvelopeMalformed("the Body holds exactly one document")
    return children[0]


def check_document(header: EnvelopeHeader, document: etree._Element) -> None:
    """The document is what the signed header says: type and schema version."""
    namespace, name = split_tag(document)
    if name != header.message_type or namespace != header.schema_version.namespace:
        raise DocumentMismatch(
            f"the header announces {header.message_type} v{header.schema_version.value}, "
            f"the body holds {etree.QName(document).text}"
        )


def _digested_form(root: etree._Element, signature: etree._Element) -> bytes:
    """The envelope after the enveloped-signature transform, exc-C14N'd."""
    previous = signature.getprevious()
    if signature.tail and previous is not None:  # the tail is not part of the Signature
        previous.tail = (previous.tail or "") + signature.tail
    root.remove(signature)
    return subtree_c14n(root)


def _verified(canonical: bytes) -> tuple[EnvelopeHeader, bytes]:
    """Header and document read back from the canonical bytes the digest covered."""
    root = parse_envelope(canonical)  # only the bytes that were digested
    header = read_header(root[0])
    document = body_document(root[1])
    check_document(header, document)
    return header, subtree_c14n(document)


def verify_xml(data: bytes, keys: KeySource) -> VerifiedEnvelope:
    """Verify an XML envelope held in memory; raises an :class:`~gateway.errors.EnvelopeError`."""
    root = parse_envelope(data)
    _, _, signature = envelope_parts(root)
    profile = read_signature(signature)
    public_key = keys.public_key(profile.kid, profile.algorithm)
    canonical = _digested_form(root, signature)
    if not hmac.compare_digest(hashlib.sha256(canonical).digest(), profile.digest):
        raise SignatureInvalid("the digest does not match the envelope content")
    if not verify_bytes(public_key, profile.algorithm, profile.canonical_signed_info,
                        profile.signature):
        raise SignatureInvalid("the signature value does not match SignedInfo")
    header, document = _verified(canonical)
    keys.authorise(header, profile.kid)
    return VerifiedEnvelope(EnvelopeFormat.XML, header, profile.kid, profile.algorithm, document)
