"""XML envelopes of any size, signed and verified while streaming in constant memory.

The event stream of the hardened ``iterparse`` is re-emitted as exc-C14N bytes: the few
outer elements (Envelope, Body, the document root) tag by tag, every other element as a
finished subtree, which is then dropped from the tree. The bytes are hashed as they go;
the result is byte for byte the whole-tree exc-C14N, so ``xmlsec1`` verifies what we
sign and we verify what it signs.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from typing import IO, Literal

from lxml import etree

from gateway.crypto import SigningKey, verify_bytes
from gateway.envelope._canonical import (
    BODY_CLOSE,
    BODY_OPEN,
    ENVELOPE_CLOSE,
    ENVELOPE_OPEN,
    end_tag,
    escape_text,
    nested_c14n,
    split_tag,
    start_tag,
)
from gateway.envelope._header import EnvelopeHeader
from gateway.envelope._keysource import KeySource
from gateway.envelope._result import EnvelopeFormat, VerifiedEnvelope
from gateway.envelope._xml import (
    ENV,
    XML_DECLARATION,
    check_document,
    header_xml,
    read_header,
    signature_xml,
)
from gateway.envelope._xmldsig import SIGNATURE_TAG, read_signature
from gateway.errors import (
    EnvelopeMalformed,
    SignatureInvalid,
    SignatureMissing,
    SignatureWrapping,
)
from schema.errors import MalformedDocument
from schema.xmlsafe import iterparse, parse_xml

_EVENTS: tuple[Literal["start", "end"], ...] = ("start", "end")
_STRAY = "comments and processing instructions are not allowed"


class Role(Enum):
    CONTAINER = "container"  # emitted tag by tag, its children handled one by one
    SUBTREE = "subtree"  # emitted whole when it ends, then dropped
    HIDDEN = "hidden"  # kept aside, not emitted (the enveloped signature)


@dataclass(frozen=True, slots=True)
class Piece:
    """Canonical bytes; ``level`` counts the open containers, ``element`` names a subtree."""

    level: int
    data: bytes
    element: etree._Element | None = None
    is_text: bool = False


@dataclass(slots=True)
class _Open:
    element: etree._Element
    namespace: str | None
    finished: etree._Element | None = None  # last finished child, its tail still due


Classifier = Callable[[int, etree._Element], Role]


def _refuse_strays(top: _Open, following: etree._Element | None) -> None:
    """Refuse a comment or PI between children: exc-C14N would silently drop it."""
    if following is not None:
        previous = following.getprevious()
    else:
        previous = top.element[-1] if len(top.element) else None
    if previous is not top.finished:
        raise EnvelopeMalformed(_STRAY)


def _text_before(top: _Open, level: int, following: etree._Element | None) -> Piece | None:
    """The text preceding ``following`` (or the end) in ``top``; drops the finished child."""
    _refuse_strays(top, following)
    if top.finished is None:
        text = top.element.text
    else:
        text = top.finished.tail
        top.element.remove(top.finished)  # constant memory: done with it
        top.finished = None
    return Piece(level, escape_text(text).encode(), is_text=True) if text else None


def canonical_pieces(events: Iterable[tuple[str, etree._Element]],
                     classify: Classifier) -> Iterator[Piece]:
    """Re-emit a parse event stream as exc-C14N pieces (see the module docstring)."""
    stack: list[_Open] = []
    inside = 0  # > 0 while within a subtree or hidden element
    role = Role.SUBTREE
    root: etree._Element | None = None
    for event, element in events:
        if inside:
            inside += 1 if event == "start" else -1
            if inside == 0:
                yield from _finish_child(stack[-1], element, role, len(stack))
            continue
        if event == "start":
            if not stack:
                root = element
            elif (text := _text_before(stack[-1], len(stack), element)):
                yield text
            role = classify(len(stack), element)
            if role is Role.CONTAINER:
                parent_ns = stack[-1].namespace if stack else None
                stack.append(_Open(element, split_tag(element)[0]))
                yield Piece(len(stack), start_tag(element, parent_ns))
            else:
                inside = 1
        else:
            if text := _text_before(stack[-1], len(stack), None):
                yield text
            yield Piece(len(stack), end_tag(element))
            stack.pop()
            if stack:
                stack[-1].finished = element
    if root is not None:  # the parse is complete: whatever surrounds the root is known
        _refuse_outside(root)


def _refuse_outside(root: etree._Element) -> None:
    """Nothing but whitespace around the root (a PI there would be signed by xmlsec1)."""
    if root.getprevious() is not None or root.getnext() is not None:
        raise EnvelopeMalformed(_STRAY)


def _finish_child(top: _Open, element: etree._Element, role: Role, level: int) -> Iterator[Piece]:
    top.finished = element
    for _ in element.iter(etree.Comment, etree.ProcessingInstruction):
        raise EnvelopeMalformed(_STRAY)
    if role is Role.SUBTREE:
        yield Piece(level, nested_c14n(element, top.namespace), element)
        element.clear(keep_tail=True)


def _parse_events(source: IO[bytes], schema: etree.XMLSchema | None = None) -> Iterator[
        tuple[str, etree._Element]]:
    try:
        yield from iterparse(source, events=_EVENTS, schema=schema)
    except MalformedDocument as exc:
        raise EnvelopeMalformed(exc.message) from None


def _document_classifier(header: EnvelopeHeader) -> Classifier:
    """Roles for a bare document: the root is the one container, and must match ``header``."""

    def classify(depth: int, element: etree._Element) -> Role:
        if depth == 0:
            check_document(header, element)
            return Role.CONTAINER
        return Role.SUBTREE

    return classify


def sign_xml_stream(source: IO[bytes], out: IO[bytes], header: EnvelopeHeader,
                    key: SigningKey, schema: etree.XMLSchema | None = None) -> None:
    """Write a signed envelope around the XML document read from ``source``.

    ``schema``, when given, validates the document as it streams; a document that is not
    what ``header`` announces is refused. The output is complete only if no error is raised.
    """
    hasher = hashlib.sha256()

    def emit(data: bytes) -> None:
        hasher.update(data)
        out.write(data)

    out.write(XML_DECLARATION)
    emit(ENVELOPE_OPEN + header_xml(header) + BODY_OPEN)
    for piece in canonical_pieces(_parse_events(source, schema), _document_classifier(header)):
        emit(piece.data)
    emit(BODY_CLOSE)
    hasher.update(ENVELOPE_CLOSE)
    out.write(signature_xml(hasher.digest(), key) + ENVELOPE_CLOSE + b"\n")


@dataclass(slots=True)
class _EnvelopeWalk:
    """Roles of an envelope's elements, and the parts it met on the way."""

    parts_seen: int = 0
    document: etree._Element | None = None
    signature: etree._Element | None = None
    header_xml: bytes | None = None

    def classify(self, depth: int, element: etree._Element) -> Role:
        if depth == 0:
            if element.tag != ENV + "Envelope":
                raise EnvelopeMalformed(f"{etree.QName(element).text} is not an envelope")
            return Role.CONTAINER
        if depth == 1:
            self.parts_seen += 1
            expected = (ENV + "Header", ENV + "Body", SIGNATURE_TAG)
            if self.parts_seen > 3 or element.tag != expected[self.parts_seen - 1]:
                raise SignatureWrapping("an envelope holds Header, Body, ds:Signature — once each")
            if element.tag == SIGNATURE_TAG:
                self.signature = element
                return Role.HIDDEN
            return Role.SUBTREE if element.tag == ENV + "Header" else Role.CONTAINER
        if self.document is not None:
            return Role.SUBTREE if depth == 3 else self._second_in_body(element)
        self.document = element
        return Role.CONTAINER

    @staticmethod
    def _second_in_body(element: etree._Element) -> Role:
        if element.tag in (SIGNATURE_TAG, ENV + "Body"):
            raise SignatureWrapping("a second Body or signature is hidden in the envelope")
        raise EnvelopeMalformed("the Body holds exactly one document")

    def check(self, piece: Piece) -> None:
        """Refuse text between the envelope's parts and wrapped copies inside subtrees."""
        if piece.is_text and piece.level <= 2 and piece.data.strip():
            raise EnvelopeMalformed("text between the parts of the envelope")
        if piece.element is not None:
            for _ in piece.element.iter(SIGNATURE_TAG, ENV + "Body"):
                raise SignatureWrapping("a second Body or signature is hidden in the envelope")
            if piece.level == 1:
                self.header_xml = piece.data


def verify_xml_stream(source: IO[bytes], keys: KeySource,
                      sink: IO[bytes] | None = None) -> VerifiedEnvelope:
    """Verify an XML envelope of any size, writing its canonical document to ``sink``.

    What reaches ``sink`` is exactly what was digested, but it is verified only when this
    function returns: on an exception the caller must discard it (``open`` does).
    """
    walk = _EnvelopeWalk()
    hasher = hashlib.sha256()
    for piece in canonical_pieces(_parse_events(source), walk.classify):
        walk.check(piece)
        hasher.update(piece.data)
        if sink is not None and piece.level >= 3:
            sink.write(piece.data)
    if walk.signature is None and walk.header_xml is not None and walk.document is not None:
        raise SignatureMissing("the envelope is not signed: no ds:Signature after the Body")
    if walk.signature is None or walk.header_xml is None or walk.document is None:
        raise EnvelopeMalformed("an envelope holds Header, Body with a document, ds:Signature")
    profile = read_signature(walk.signature)
    public_key = keys.public_key(profile.kid, profile.algorithm)
    if not hmac.compare_digest(hasher.digest(), profile.digest):
        raise SignatureInvalid("the digest does not match the envelope content")
    if not verify_bytes(public_key, profile.algorithm, profile.canonical_signed_info,
                        profile.signature):
        raise SignatureInvalid("the signature value does not match SignedInfo")
    header = read_header(parse_xml(ENVELOPE_OPEN + walk.header_xml + ENVELOPE_CLOSE)[0])
    check_document(header, walk.document)
    keys.authorise(header, profile.kid)
    return VerifiedEnvelope(EnvelopeFormat.XML, header, profile.kid, profile.algorithm, None)
