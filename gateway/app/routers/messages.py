"""``/api/v1/messages``: receive a signed message; its status and receipts."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy import select

from gateway.app._body import read_envelope
from gateway.app.deps import RuntimeDep, ViewerDep
from gateway.envelope import KeySource, is_message_id
from gateway.errors import EnvelopeMalformed
from gateway.ingest import Intake, NotFound, receive, sign_receipts
from gateway.outbox import MEDIA_TYPES
from gateway.store import messages, outbox, receipts
from schema.errors import YipanqiError

router = APIRouter(prefix="/api/v1/messages", tags=["messages"])
log = logging.getLogger("yipanqi.ingest")

#: Bodies above this size are verified in a worker thread, not on the event loop.
THREAD_ABOVE = 64 * 1024

_RECEIPT = {"description": "A signed Receipt envelope (accepted or rejected), in the "
                           "request's format",
            "content": {"application/xml": {}, "application/jose+json": {}}}


def _receive(body: bytes, keys: KeySource) -> Intake:
    try:
        return receive(body, keys)
    except YipanqiError:
        raise
    except (RecursionError, MemoryError, ValueError, UnicodeError) as exc:
        log.warning("unreadable envelope: %s", type(exc).__name__)
        raise EnvelopeMalformed(f"the envelope cannot be read ({type(exc).__name__})") from None


@router.post("", response_class=Response, responses={200: _RECEIPT})
async def post_message(request: Request, runtime: RuntimeDep) -> Response:
    """Verify, validate and store a message; answer with a signed receipt.

    200 accepted or rejected (see the receipt); 400 malformed; 401 bad signature or
    unknown key; 403 not permitted; 408 body too slow; 409 same messageId, other
    content; 413 too large; 415 wrong media type; 503 store unavailable.
    """
    settings = runtime.settings
    body, envelope_format = await read_envelope(request, settings.max_body_bytes,
                                                settings.body_timeout)
    keys = runtime.identity.keys
    if len(body) > THREAD_ABOVE:
        intake = await asyncio.to_thread(_receive, body, keys)
    else:
        intake = _receive(body, keys)
    answer = await runtime.writer.submit(intake)
    return Response(answer.receipt, media_type=MEDIA_TYPES[envelope_format.value],
                    headers={"X-Yipanqi-Replay": "1"} if answer.fate == "replay" else None)


def _inbound(runtime: RuntimeDep, message_id: str, viewer: str | None) -> list[dict[str, Any]]:
    query = select(messages.c.id, messages.c.sender, messages.c.message_type,
                   messages.c.status, messages.c.digest, messages.c.received_at) \
        .where(messages.c.message_id == message_id)
    if viewer is not None:
        query = query.where(messages.c.sender == viewer)
    with runtime.engine.connect() as connection:
        rows = connection.execute(query).all()
        found = []
        for row in rows:
            pks = list(connection.execute(select(receipts.c.id)
                                          .where(receipts.c.message_pk == row.id)
                                          .order_by(receipts.c.id)).scalars())
            found.append((row, pks))
    result = []
    for row, pks in found:
        envelopes = sign_receipts(runtime.engine, runtime.identity, pks)
        with runtime.engine.connect() as connection:
            listed = connection.execute(select(receipts.c.id, receipts.c.receipt_id,
                                               receipts.c.disposition, receipts.c.created_at)
                                        .where(receipts.c.id.in_(pks))
                                        .order_by(receipts.c.id)).all()
        result.append({"sender": row.sender, "messageType": row.message_type,
                       "status": row.status, "digest": row.digest,
                       "receivedAt": row.received_at,
                       "receipts": [{"receiptId": r.receipt_id, "disposition": r.disposition,
                                     "createdAt": r.created_at,
                                     "envelope": envelopes[r.id].decode()} for r in listed]})
    return result


def _outbound(runtime: RuntimeDep, message_id: str, viewer: str | None) -> list[dict[str, Any]]:
    query = select(outbox.c.destination, outbox.c.message_type, outbox.c.status,
                   outbox.c.attempts, outbox.c.last_error, outbox.c.delivered_at,
                   outbox.c.reply).where(outbox.c.message_id == message_id)
    if viewer is not None:
        query = query.where(outbox.c.destination == viewer)
    with runtime.engine.connect() as connection:
        rows = connection.execute(query).all()
    return [{"destination": r.destination, "messageType": r.message_type, "status": r.status,
             "attempts": r.attempts, "lastError": r.last_error, "deliveredAt": r.delivered_at,
             "receipt": r.reply.decode() if r.reply else None} for r in rows]


@router.get("/{message_id}")
async def get_message(message_id: str, runtime: RuntimeDep, viewer: ViewerDep) -> dict[str, Any]:
    """Status and receipts of a message received (``inbound``) or sent (``outbound``)."""
    if not is_message_id(message_id):  # no message has it (nor may a store be asked it)
        raise NotFound("no message with this id: message ids are 1-128 of A-Z a-z 0-9 . _ : -")
    inbound = await asyncio.to_thread(_inbound, runtime, message_id, viewer)
    outbound = await asyncio.to_thread(_outbound, runtime, message_id, viewer)
    if not inbound and not outbound:
        raise NotFound(f"no message {message_id}")
    return {"messageId": message_id, "inbound": inbound, "outbound": outbound}
