"""Outbox entries are signed once, before their first delivery, and the envelope kept.

A resend must carry the very same bytes: the partner dedupes on (sender, messageId) and
refuses the same id with another digest, and ECDSA signatures differ on every signing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, bindparam, select

from gateway.envelope import EnvelopeHeader
from gateway.ingest import sign_receipts
from gateway.node import RECEIPT, NodeIdentity
from gateway.receipts import sign_document
from gateway.store import outbox, receipts, write_lock
from schema.codes import SchemaVersion


def _sign_entry(entry: Any, identity: NodeIdentity) -> bytes:
    header = EnvelopeHeader(message_id=entry.message_id, message_type=entry.message_type,
                            sender=identity.node_id, recipient=entry.destination,
                            created_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
                            schema_version=SchemaVersion(entry.schema_version))
    return sign_document(entry.document, entry.format, header, identity.key)


def _sign_receipt_entries(engine: Engine, identity: NodeIdentity, ids: list[str]) -> None:
    with engine.connect() as connection:
        pks = list(connection.execute(select(receipts.c.id)
                                      .where(receipts.c.receipt_id.in_(ids))).scalars())
    sign_receipts(engine, identity, pks)


def ensure_envelopes(engine: Engine, identity: NodeIdentity,
                     entries: Sequence[Any]) -> dict[int, bytes]:
    """The envelope of each entry (by outbox id), signing and storing those without one."""
    missing = [e for e in entries if e.envelope is None]
    receipt_ids = [e.receipt_id for e in missing if e.message_type == RECEIPT and e.receipt_id]
    if receipt_ids:
        _sign_receipt_entries(engine, identity, receipt_ids)
    signed = [{"oid": e.id, "envelope": _sign_entry(e, identity)} for e in missing
              if not (e.message_type == RECEIPT and e.receipt_id)]
    ids = [e.id for e in entries]
    with engine.begin() as connection:
        write_lock(connection)
        if signed:
            connection.execute(outbox.update().where(outbox.c.id == bindparam("oid"),
                                                     outbox.c.envelope.is_(None))
                               .values(envelope=bindparam("envelope")), signed)
        rows = connection.execute(select(outbox.c.id, outbox.c.envelope)
                                  .where(outbox.c.id.in_(ids))).all()
    return {row.id: row.envelope for row in rows if row.envelope is not None}
