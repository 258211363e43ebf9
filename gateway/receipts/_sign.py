"""Receipts travel in signed envelopes like any message."""

from __future__ import annotations

import datetime as dt

from gateway.crypto import SigningKey
from gateway.envelope import EnvelopeHeader, sign_json, sign_xml
from schema.codes import SchemaVersion
from schema.xmlsafe import parse_xml


def sign_document(document: bytes, envelope_format: str, header: EnvelopeHeader,
                  key: SigningKey) -> bytes:
    """An envelope around ``document`` (XML or JSON bytes) in ``envelope_format``."""
    if envelope_format == "xml":
        return sign_xml(parse_xml(document), header, key)
    return sign_json(document, header, key)


def receipt_header(*, receipt_id: str, issuer: str, to: str, version: SchemaVersion | str,
                   message_id: str, conversation_id: str | None = None,
                   created_at: dt.datetime | None = None) -> EnvelopeHeader:
    """The envelope header of a receipt from ``issuer`` for ``message_id`` of ``to``.

    ``created_at`` (default now) is cut to whole seconds; pass the stored receipt's time
    so that signing the same receipt again gives the same envelope.
    """
    created = created_at or dt.datetime.now(dt.UTC)
    return EnvelopeHeader(message_id=receipt_id, message_type="Receipt", sender=issuer,
                          recipient=to, created_at=created.replace(microsecond=0),
                          schema_version=SchemaVersion(version),
                          conversation_id=conversation_id, ref_to_message_id=message_id)
