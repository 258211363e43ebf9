"""Sign receipts after their transaction committed (store-then-acknowledge, DESIGN §5).

A receipt row is written with its message, unsigned; once the commit returned, it is
signed and answered. Signing is a pure function of the committed row and the node's key
(deterministic signatures, the header's createdAt is the row's): signing a receipt again
gives the same bytes. The envelope is then saved with the row as a cache — by the writer in
its next transaction (:func:`save_envelopes`) — so a crash before that loses nothing: the
receipt is signed again, identically, when the message is repeated or its status asked for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, select

from gateway.node import NodeIdentity
from gateway.receipts import receipt_header, sign_document
from gateway.store import messages, outbox, receipts, write_lock

#: A receipt signed but not yet saved: ``{"pk", "rid", "envelope", "outbox"}``.
Signed = dict[str, Any]


def _sign_row(row: Any, identity: NodeIdentity) -> bytes:
    header = receipt_header(receipt_id=row.receipt_id, issuer=identity.node_id, to=row.sender,
                            version=row.schema_version, message_id=row.message_id,
                            created_at=dt.datetime.fromisoformat(row.created_at))
    return sign_document(row.document, row.format, header, identity.key)


def sign_unsaved(engine: Engine, identity: NodeIdentity,
                 pks: Sequence[int]) -> tuple[dict[int, bytes], list[Signed]]:
    """Every receipt's envelope among ``pks``, and those signed now (not yet saved)."""
    if not pks:
        return {}, []
    query = (select(receipts.c.id, receipts.c.receipt_id, receipts.c.document,
                    receipts.c.format, receipts.c.schema_version, receipts.c.envelope,
                    receipts.c.created_at, messages.c.sender, messages.c.message_id)
             .join(messages, messages.c.id == receipts.c.message_pk)
             .where(receipts.c.id.in_(list(pks))))
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    envelopes = {row.id: row.envelope for row in rows if row.envelope is not None}
    # "outbox": the receipt travels through the outbox (its message came from a partner)
    signed = [{"pk": row.id, "rid": row.receipt_id, "envelope": _sign_row(row, identity),
               "outbox": row.sender != identity.node_id}
              for row in rows if row.envelope is None]
    envelopes.update({s["pk"]: s["envelope"] for s in signed})
    return envelopes, signed


def save_envelopes(connection: Connection, signed: Sequence[Signed]) -> None:
    """Keep signed receipt envelopes with their rows (and their outbox entries)."""
    if not signed:
        return
    connection.execute(receipts.update().where(receipts.c.id == bindparam("pk"),
                                               receipts.c.envelope.is_(None))
                       .values(envelope=bindparam("envelope")), list(signed))
    delivered = [s for s in signed if s.get("outbox", True)]
    if delivered:  # a receipt's outbox entry has the receipt id as message id (unique index)
        connection.execute(outbox.update().where(outbox.c.message_id == bindparam("rid"),
                                                 outbox.c.receipt_id == bindparam("rid"),
                                                 outbox.c.envelope.is_(None))
                           .values(envelope=bindparam("envelope")), delivered)


def sign_receipts(engine: Engine, identity: NodeIdentity, pks: Sequence[int]) -> dict[int, bytes]:
    """Sign the unsigned receipts among ``pks`` and save them; every one's envelope, by pk."""
    envelopes, signed = sign_unsaved(engine, identity, pks)
    if signed:
        with engine.begin() as connection:
            write_lock(connection)
            save_envelopes(connection, signed)
    return envelopes


def first_receipt(engine: Engine, message_pk: int) -> int | None:
    """The accepted/rejected receipt of a stored message (what a repeat is answered with)."""
    with engine.connect() as connection:
        return connection.execute(
            select(receipts.c.id).where(receipts.c.message_pk == message_pk,
                                        receipts.c.disposition != "applied")
            .order_by(receipts.c.id).limit(1)).scalar()
