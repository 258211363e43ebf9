"""JSON envelopes of any size: the JWS payload coded, hashed and decoded chunk by chunk.

Signing writes ``{"protected", "payload", "signature"}`` with the payload base64url-coded
from the document file as it is read; the SHA-256 of the signing input grows chunk by
chunk and ES256 or RS256 signs the digest. Verifying makes two passes over a seekable
file: the first finds the three members, in any order, keeping only the small ones; the
second streams the payload through the hash and the decoder. Ed25519 hashes the message
itself and cannot take a digest, so EdDSA envelopes are signed and verified in memory.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
from dataclasses import dataclass
from typing import IO, Protocol

from gateway.crypto import (
    B64URL_BYTES,
    JOSE_NAMES,
    SignatureAlgorithm,
    SigningKey,
    b64url_decode,
    b64url_encode,
    encode_protected,
    parse_protected,
    verify_bytes,
)
from gateway.envelope._header import HEADER_FIELDS, EnvelopeHeader
from gateway.envelope._json import ENVELOPE_TYP, sign_json, verify_json
from gateway.envelope._keysource import KeySource
from gateway.envelope._result import EnvelopeFormat, VerifiedEnvelope
from gateway.errors import (
    DocumentMismatch,
    EnvelopeMalformed,
    SignatureInvalid,
    SignatureMissing,
)
from schema.errors import MalformedDocument
from schema.jsonstream import JsonObjectStream

_RAW_CHUNK = 3 * 65536  # base64 of a multiple of 3 bytes needs no padding
_CODED_CHUNK = 4 * 65536  # a multiple of 4 characters decodes on its own
_SMALL_MEMBER = 64 * 1024  # the protected header and the signature
#: ``type`` and ``schemaVersion`` must come within this many bytes of a streamed payload.
DOCUMENT_HEAD_BYTES = 64 * 1024
_WHITESPACE = re.compile(rb"[ \t\r\n]*")


def _read_exactly(source: IO[bytes], size: int) -> bytes:
    data = source.read(size)
    while data and len(data) < size and (more := source.read(size - len(data))):
        data += more
    return data


def sign_json_stream(source: IO[bytes], out: IO[bytes], header: EnvelopeHeader,
                     key: SigningKey) -> None:
    """Write a JWS envelope around the JSON document read from ``source``."""
    if key.algorithm is SignatureAlgorithm.EDDSA:
        out.write(sign_json(source.read(), header, key))
        return
    protected = encode_protected(header.to_wire(), key, ENVELOPE_TYP).encode("ascii")
    hasher = hashlib.sha256(protected + b".")
    out.write(b'{\n "protected": "' + protected + b'",\n "payload": "')
    while chunk := _read_exactly(source, _RAW_CHUNK):
        coded = b64url_encode(chunk).encode("ascii")
        hasher.update(coded)
        out.write(coded)
    signature = b64url_encode(key.sign_digest(hasher.digest())).encode("ascii")
    out.write(b'",\n "signature": "' + signature + b'"\n}\n')


class _Scanner:
    """The outer object of a JWS, byte by byte, in a window that drops what it passed."""

    def __init__(self, source: IO[bytes]) -> None:
        self._source = source
        self._buffer = b""
        self._offset = 0  # file offset of self._buffer[0]
        self._pos = 0

    def _more(self) -> bool:
        chunk = self._source.read(_CODED_CHUNK)
        self._offset += self._pos
        self._buffer = self._buffer[self._pos:] + chunk
        self._pos = 0
        return bool(chunk)

    def token(self) -> int | None:
        """The next byte that is not whitespace, consumed; ``None`` at the end."""
        while True:
            self._pos = _WHITESPACE.match(self._buffer, self._pos).end()  # type: ignore[union-attr]
            if self._pos < len(self._buffer):
                self._pos += 1
                return self._buffer[self._pos - 1]
            if not self._more():
                return None

    def expect(self, char: bytes) -> None:
        if self.token() != char[0]:
            raise EnvelopeMalformed(f"a JWS must be a JSON object (expected {char.decode()!r})")

    def string(self, limit: int | None) -> tuple[bytes, int, int]:
        """A string's content (kept up to ``limit``, else dropped) and its file offsets."""
        self.expect(b'"')
        start, kept = self._offset + self._pos, bytearray()
        while True:
            end = self._buffer.find(b'"', self._pos)
            piece = self._buffer[self._pos:end if end >= 0 else len(self._buffer)]
            if b"\\" in piece:
                raise EnvelopeMalformed("escapes are not accepted in JWS members")
            if limit is not None:
                kept += piece
                if len(kept) > limit:
                    raise EnvelopeMalformed("a JWS member is too large")
            if end >= 0:
                self._pos = end + 1
                return bytes(kept), start, self._offset + end
            self._pos = len(self._buffer)
            if not self._more():
                raise EnvelopeMalformed("the JWS ends inside a string")


@dataclass(frozen=True, slots=True)
class _Members:
    protected: str
    signature: str
    payload_start: int
    payload_end: int


def _locate_members(source: IO[bytes]) -> _Members:
    """Pass one: exactly protected, payload and signature, once each, any order."""
    scanner = _Scanner(source)
    small: dict[bytes, str] = {}
    payload: tuple[int, int] | None = None
    scanner.expect(b"{")
    while True:
        name = scanner.string(16)[0]
        scanner.expect(b":")
        if name == b"payload" and payload is None:
            payload = scanner.string(None)[1:]
        elif name in (b"protected", b"signature") and name not in small:
            small[name] = scanner.string(_SMALL_MEMBER)[0].decode("ascii", "replace")
        else:
            raise EnvelopeMalformed('a JWS must be exactly {"protected", "payload", "signature"}')
        separator = scanner.token()
        if separator == ord(","):
            continue
        if separator != ord("}") or scanner.token() is not None:
            raise EnvelopeMalformed("a JWS must be one JSON object")
        break
    if payload is not None and list(small) == [b"protected"]:
        raise SignatureMissing("the JWS is not signed: it has no signature member")
    if payload is None or len(small) != 2:
        raise EnvelopeMalformed('a JWS must be exactly {"protected", "payload", "signature"}')
    return _Members(small[b"protected"], small[b"signature"], *payload)


class _Writer(Protocol):
    def write(self, data: bytes, /) -> int: ...


def _stream_payload(source: IO[bytes], members: _Members, hasher: hashlib._Hash,
                    sink: _Writer) -> None:
    """Pass two: the payload through the hash (coded) and into ``sink`` (decoded)."""
    source.seek(members.payload_start)
    remaining = members.payload_end - members.payload_start
    if remaining % 4 == 1:
        raise EnvelopeMalformed("JWS payload is not base64url")
    while remaining:
        chunk = _read_exactly(source, min(_CODED_CHUNK, remaining))
        if not chunk or not B64URL_BYTES.fullmatch(chunk):
            raise EnvelopeMalformed("JWS payload is not base64url")
        remaining -= len(chunk)
        hasher.update(chunk)
        sink.write(base64.urlsafe_b64decode(chunk + b"=" * (-len(chunk) % 4)))


class _HeadSink:
    """Passes everything on, keeping the first bytes to read the document's type from."""

    def __init__(self, sink: IO[bytes] | None) -> None:
        self.sink = sink
        self.head = bytearray()
        self.total = 0

    def write(self, data: bytes) -> int:
        self.total += len(data)
        if len(self.head) < DOCUMENT_HEAD_BYTES:
            self.head += data[:DOCUMENT_HEAD_BYTES - len(self.head)]
        return self.sink.write(data) if self.sink is not None else len(data)

    @property
    def complete(self) -> bool:
        return self.total == len(self.head)


def _announced(head: _HeadSink) -> dict[str, object]:
    """``type`` and ``schemaVersion`` of the payload, read strictly from its head.

    A whole payload is read to its end (duplicate keys refused); a longer one up to where
    its head is cut, which must come after both members.
    """
    found: dict[str, object] = {}
    events = JsonObjectStream(io.BytesIO(bytes(head.head))).events(
        lambda key: "value" if key in ("type", "schemaVersion") else "skip")
    try:
        for _, key, value, _line in events:
            found[key] = value
    except MalformedDocument as exc:
        if head.complete or len(found) < 2:
            raise EnvelopeMalformed(
                f"the JWS payload is not a JSON document with type and schemaVersion in its "
                f"first {DOCUMENT_HEAD_BYTES} bytes: {exc.message}") from None
    return found


def _check_announced(header: EnvelopeHeader, head: _HeadSink) -> None:
    """The payload's ``type`` and ``schemaVersion`` are what the header announces."""
    found = _announced(head)
    announced = {"type": header.message_type, "schemaVersion": header.schema_version.value}
    if found != announced:
        raise DocumentMismatch(f"the header announces {announced}, the payload is {found}")


def verify_json_stream(source: IO[bytes], keys: KeySource,
                       sink: IO[bytes] | None = None) -> VerifiedEnvelope:
    """Verify a JWS envelope file of any size, writing its document to ``sink``.

    As with :func:`~gateway.envelope.verify_xml_stream`, ``sink`` holds verified content
    only once this function returns. ``source`` must be seekable.
    """
    members = _locate_members(source)
    fields, algorithm, kid = parse_protected(members.protected, ENVELOPE_TYP, HEADER_FIELDS)
    if algorithm is SignatureAlgorithm.EDDSA:
        source.seek(0)
        result = verify_json(source.read(), keys)
        if sink is not None and result.document is not None:
            sink.write(result.document)
        return result
    public_key = keys.public_key(kid, algorithm)
    signature = b64url_decode(members.signature, "signature")
    hasher = hashlib.sha256(members.protected.encode("ascii") + b".")
    head = _HeadSink(sink)
    _stream_payload(source, members, hasher, head)
    if not verify_bytes(public_key, algorithm, hasher.digest(), signature, prehashed=True):
        raise SignatureInvalid("the JWS signature does not match")
    header = EnvelopeHeader.from_wire({k: v for k, v in fields.items() if k not in JOSE_NAMES})
    _check_announced(header, head)
    keys.authorise(header, kid)
    return VerifiedEnvelope(EnvelopeFormat.JSON, header, kid, algorithm, None)
