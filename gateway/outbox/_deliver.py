"""One delivery attempt: POST the envelope, check the partner's signed receipt."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import httpx

from gateway.node import NodeIdentity
from gateway.receipts import read_receipt
from schema.errors import YipanqiError
from schema.models.receipt import Disposition

MEDIA_TYPES = {"xml": "application/xml", "json": "application/jose+json"}
#: Answers after which a retry cannot help: the partner refuses this message as it is.
PERMANENT = {400, 401, 403, 404, 409, 413, 415, 422}
#: Answers that say the partner (not this message) cannot be served now: a proxy without
#: its upstream, a node whose store is down.
UNAVAILABLE = {502, 503, 504}


class Verdict(StrEnum):
    DELIVERED = "delivered"
    REJECTED = "rejected"
    RETRY = "retry"
    DEAD = "dead"
    #: The partner could not be reached at all: every entry for it waits (see ``_record``).
    UNREACHABLE = "unreachable"


@dataclass(frozen=True, slots=True)
class Attempt:
    verdict: Verdict
    detail: str
    reply: bytes | None = None


async def deliver(client: httpx.AsyncClient, identity: NodeIdentity, destination: str,
                  message_id: str, envelope_format: str, envelope: bytes) -> Attempt:
    """Send one envelope to ``destination`` and judge the answer."""
    base = identity.endpoint(destination)
    if base is None:
        return Attempt(Verdict.DEAD, f"{destination} has no endpoint in the directory")
    try:
        response = await client.post(f"{base.rstrip('/')}/api/v1/messages", content=envelope,
                                     headers={"Content-Type": MEDIA_TYPES[envelope_format]})
    except (httpx.ConnectError, httpx.TimeoutException) as exc:
        # Refused, or no answer in time: says nothing of this message, all of the partner.
        return Attempt(Verdict.UNREACHABLE, f"{type(exc).__name__}: {exc}"[:500])
    except httpx.HTTPError as exc:
        return Attempt(Verdict.RETRY, f"{type(exc).__name__}: {exc}"[:500])
    if response.status_code in PERMANENT:
        return Attempt(Verdict.DEAD, f"HTTP {response.status_code}: {response.text[:300]}")
    if response.status_code in UNAVAILABLE:
        return Attempt(Verdict.UNREACHABLE, f"HTTP {response.status_code}")
    if response.status_code != 200:
        return Attempt(Verdict.RETRY, f"HTTP {response.status_code}")
    try:
        receipt = read_receipt(response.content, identity.keys, partner=destination,
                               message_id=message_id, envelope=envelope)
    except YipanqiError as exc:
        return Attempt(Verdict.RETRY, f"the receipt does not hold ({exc.code}): {exc.message}")
    if receipt.disposition is Disposition.REJECTED:
        return Attempt(Verdict.REJECTED, f"rejected: {receipt.reason}", response.content)
    return Attempt(Verdict.DELIVERED, receipt.disposition.value, response.content)
