"""JSON envelopes: a flattened JWS whose protected header carries the envelope header."""

from __future__ import annotations

from typing import Any

from gateway.crypto import JOSE_NAMES, SigningKey, parse_flattened, sign_flattened
from gateway.envelope._header import HEADER_FIELDS, EnvelopeHeader
from gateway.envelope._keysource import KeySource
from gateway.envelope._result import EnvelopeFormat, VerifiedEnvelope
from gateway.errors import DocumentMismatch, EnvelopeMalformed
from schema.errors import MalformedDocument
from schema.jsonsafe import loads

ENVELOPE_TYP = "yipanqi-envelope+json"


def sign_json(document: bytes, header: EnvelopeHeader, key: SigningKey) -> bytes:
    """A JWS envelope around the JSON ``document`` bytes (signed exactly as given)."""
    return sign_flattened(document, header.to_wire(), key, ENVELOPE_TYP)


def _check_document(header: EnvelopeHeader, payload: bytes) -> dict[str, Any]:
    try:
        document: Any = loads(payload)
    except MalformedDocument as exc:
        raise EnvelopeMalformed(f"the JWS payload is not a JSON document: {exc.message}") \
            from None
    if not isinstance(document, dict):
        raise EnvelopeMalformed("the JWS payload must be a JSON object")
    announced = (header.message_type, header.schema_version.value)
    if (document.get("type"), document.get("schemaVersion")) != announced:
        raise DocumentMismatch(
            f"the header announces {announced[0]} v{announced[1]}, the payload is "
            f"{document.get('type')!r} v{document.get('schemaVersion')!r}"
        )
    return document


def verify_json(data: bytes, keys: KeySource) -> VerifiedEnvelope:
    """Verify a JWS envelope; raises an :class:`~gateway.errors.EnvelopeError` or a trust error."""
    parts = parse_flattened(data, typ=ENVELOPE_TYP, allowed=HEADER_FIELDS)
    parts.verify(keys.public_key(parts.kid, parts.algorithm))
    header = EnvelopeHeader.from_wire(
        {name: value for name, value in parts.header.items() if name not in JOSE_NAMES}
    )
    document = _check_document(header, parts.payload)
    keys.authorise(header, parts.kid)
    return VerifiedEnvelope(EnvelopeFormat.JSON, header, parts.kid, parts.algorithm,
                            parts.payload, document)
