"""Sign documents as a node: a message ready to POST to a gateway."""

from __future__ import annotations

import datetime as dt
import uuid

from gateway.crypto import SigningKey, algorithm_for_key, load_private_key
from gateway.envelope import EnvelopeHeader, sign_json, sign_xml
from gateway.settings import FIXTURES
from schema.documents import document_type_of
from schema.jsoncodec import dumps_json
from schema.models._base import StandardModel
from schema.xmlcodec import to_element

KEYS = FIXTURES / "keys"
CREATED_AT = dt.datetime(2010, 4, 7, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def demo_key(node_id: str) -> SigningKey:
    """The test-only demo key of ``node_id`` from fixtures/keys."""
    private = load_private_key((KEYS / f"{node_id}-2010.key.pem").read_bytes())
    return SigningKey(f"{node_id}-2010", algorithm_for_key(private), private)


def signed_message(document: StandardModel, key: SigningKey, sender: str, recipient: str,
                   envelope_format: str = "json", message_id: str | None = None,
                   created_at: dt.datetime = CREATED_AT) -> bytes:
    """``document`` in a signed envelope from ``sender`` to ``recipient``."""
    doc_type = document_type_of(document)
    header = EnvelopeHeader(message_id=message_id or f"{sender}:{uuid.uuid4().hex}",
                            message_type=doc_type.name, sender=sender, recipient=recipient,
                            created_at=created_at, schema_version=doc_type.version)
    if envelope_format == "xml":
        return sign_xml(to_element(document), header, key)
    return sign_json(dumps_json(document, indent=None), header, key)
