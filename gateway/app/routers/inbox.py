"""``/api/v1/inbox``: pull mode for partners this node cannot reach."""

from __future__ import annotations

import asyncio
import hashlib
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from gateway.app._body import read_envelope
from gateway.app.deps import PartnerDep, RuntimeDep
from gateway.envelope import verify_envelope
from gateway.errors import DocumentMismatch
from gateway.ingest import NotFound
from gateway.outbox import acknowledge, ensure_envelopes, inbox_entries
from gateway.receipts import read_receipt
from gateway.store import LARGEST_ID
from schema.models.receipt import Receipt

router = APIRouter(prefix="/api/v1/inbox", tags=["inbox"])


@router.get("")
async def inbox(runtime: RuntimeDep, partner: PartnerDep,
                after: Annotated[int, Query(ge=0, le=LARGEST_ID)] = 0,
                limit: Annotated[int, Query(ge=1, le=500)] = 100) -> dict[str, Any]:
    """Signed envelopes waiting for the calling partner, after ``cursor``."""
    entries = await asyncio.to_thread(inbox_entries, runtime.engine, partner, after, limit)
    envelopes = await asyncio.to_thread(ensure_envelopes, runtime.engine, runtime.identity,
                                        entries)
    listed = [{"cursor": e.id, "messageId": e.message_id, "messageType": e.message_type,
               "format": e.format, "envelope": envelopes[e.id].decode()} for e in entries]
    return {"messages": listed, "next": listed[-1]["cursor"] if listed else after}


@router.post("/ack")
async def ack(request: Request, runtime: RuntimeDep, partner: PartnerDep) -> dict[str, Any]:
    """Acknowledge a pulled message with the partner's signed receipt for it."""
    body, _ = await read_envelope(request, 1024 * 1024, runtime.settings.body_timeout)
    verified = verify_envelope(body, runtime.identity.keys)
    receipt = verified.document_model()
    if not isinstance(receipt, Receipt) or verified.header.sender != partner:
        raise DocumentMismatch("an acknowledgement is the partner's own signed receipt")

    def digest_ok(envelope: bytes) -> bool:
        try:
            read_receipt(body, runtime.identity.keys, partner=partner,
                         message_id=receipt.message_id, envelope=envelope)
        except DocumentMismatch:
            return False
        return hashlib.sha256(envelope).hexdigest() == receipt.digest

    done = await asyncio.to_thread(acknowledge, runtime.engine, runtime.identity.node_id,
                                   partner, receipt.message_id, digest_ok, body,
                                   receipt.disposition.value)
    if not done:
        raise NotFound(f"no message {receipt.message_id} with that digest for {partner}")
    return {"acknowledged": receipt.message_id, "disposition": receipt.disposition.value}
