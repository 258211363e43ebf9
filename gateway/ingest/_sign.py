"""Sign receipts after their transaction committed (store-then-acknowledge, DESIGN §5).

A receipt row is written with its message, unsigned; once the commit returned, it is
signed and the envelope stored. A crash in between leaves an unsigned receipt, which no one
has seen: it is signed when the message is repeated or its status asked for.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine, bindparam, select

from gateway.node import NodeIdentity
from gateway.receipts import receipt_header, sign_document
from gateway.store import messages, outbox, receipts, write_lock


def sign_receipts(engine: Engine, identity: NodeIdentity, pks: Sequence[int]) -> dict[int, bytes]:
    """Sign the unsigned receipts among ``pks``; every one's envelope, by receipt pk."""
    if not pks:
        return {}
    query = (select(receipts.c.id, receipts.c.receipt_id, receipts.c.document,
                    receipts.c.format, receipts.c.schema_version, receipts.c.envelope,
                    messages.c.sender, messages.c.message_id)
             .join(messages, messages.c.id == receipts.c.message_pk)
             .where(receipts.c.id.in_(list(pks))))
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    envelopes = {row.id: row.envelope for row in rows if row.envelope is not None}
    signed = []
    for row in rows:
        if row.envelope is not None:
            continue
        header = receipt_header(receipt_id=row.receipt_id, issuer=identity.node_id,
                                to=row.sender, version=row.schema_version,
                                message_id=row.message_id)
        envelope = sign_document(row.document, row.format, header, identity.key)
        signed.append({"pk": row.id, "rid": row.receipt_id, "envelope": envelope})
    if signed:
        with engine.begin() as connection:
            write_lock(connection)
            connection.execute(receipts.update().where(receipts.c.id == bindparam("pk"),
                                                       receipts.c.envelope.is_(None))
                               .values(envelope=bindparam("envelope")), signed)
            connection.execute(outbox.update().where(outbox.c.receipt_id == bindparam("rid"),
                                                     outbox.c.envelope.is_(None))
                               .values(envelope=bindparam("envelope")), signed)
            fresh = connection.execute(select(receipts.c.id, receipts.c.envelope)
                                       .where(receipts.c.id.in_([s["pk"] for s in signed])))
            envelopes.update({row.id: row.envelope for row in fresh})
    return envelopes


def first_receipt(engine: Engine, message_pk: int) -> int | None:
    """The accepted/rejected receipt of a stored message (what a repeat is answered with)."""
    with engine.connect() as connection:
        return connection.execute(
            select(receipts.c.id).where(receipts.c.message_pk == message_pk,
                                        receipts.c.disposition != "applied")
            .order_by(receipts.c.id).limit(1)).scalar()
