"""Pull mode: ``GET /api/v1/inbox?after=CURSOR`` and its acknowledgement, on both stores.

Zhengzhou's own clerks submit a report; routing puts one copy for the province in the
outbox, and the province is a pull partner: it fetches the signed envelope with its
token, answers with its signed receipt, and the entry is then delivered.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from sqlalchemy import select

from gateway.demo import demo_key, make_report, signed_message
from gateway.envelope import verify_envelope
from gateway.node import load_identity
from gateway.receipts import build_receipt, receipt_bytes, receipt_header, sign_document
from gateway.settings import Settings
from gateway.store import outbox
from schema.models.receipt import Disposition
from tests.gateway._node import JOSE, client_for, node_settings

pytestmark = pytest.mark.anyio
ZZ, PROVINCE = "410100-RKJS", "410000-RKJS"
PULLER = {"Authorization": "Bearer prov-token"}


def _settings(url: str, tmp_path: Path) -> Settings:
    return node_settings(url, tmp_path, node_id=ZZ, pull_partners=[PROVINCE],
                         partner_tokens={PROVINCE: "prov-token"})


def _receipt_for(envelope: str, message_id: str, digest: str | None = None) -> bytes:
    """The province's signed receipt for a pulled envelope."""
    receipt = build_receipt("2", message_id=message_id, sender=ZZ, recipient=PROVINCE,
                            disposition=Disposition.ACCEPTED,
                            received_at=dt.datetime.now(dt.UTC),
                            digest=digest or hashlib.sha256(envelope.encode()).hexdigest())
    header = receipt_header(receipt_id=receipt.receipt_id, issuer=PROVINCE, to=ZZ,
                            version="2", message_id=message_id)
    return sign_document(receipt_bytes(receipt, "json"), "json", header, demo_key(PROVINCE))


async def _submit(client) -> None:
    own = signed_message(make_report(3), demo_key(ZZ), ZZ, ZZ)
    response = await client.post("/api/v1/messages", content=own, headers=JOSE)
    assert response.status_code == 200


async def test_pull_then_acknowledge(database_url, tmp_path):
    settings = _settings(database_url, tmp_path)
    async with client_for(settings) as (client, runtime):
        await _submit(client)
        listing = (await client.get("/api/v1/inbox", params={"after": 0},
                                    headers=PULLER)).json()
        assert len(listing["messages"]) == 1
        pulled = listing["messages"][0]
        assert listing["next"] == pulled["cursor"] and pulled["messageType"] == "ChangeReport"
        province = load_identity(node_settings(database_url, tmp_path / "p"))
        verified = verify_envelope(pulled["envelope"].encode(), province.keys)
        assert verified.header.sender == ZZ and verified.header.recipient == PROVINCE
        after = await client.get("/api/v1/inbox", params={"after": pulled["cursor"]},
                                 headers=PULLER)
        assert after.json() == {"messages": [], "next": pulled["cursor"]}
        for cursor in (-1, 2**31, 10**30, "x"):  # refused, on either store, never a 500
            odd = await client.get("/api/v1/inbox", params={"after": cursor}, headers=PULLER)
            assert (odd.status_code, odd.json()["error"]) == (400, "bad-request")

        ack = await client.post("/api/v1/inbox/ack", headers={**PULLER, **JOSE},
                                content=_receipt_for(pulled["envelope"],
                                                     pulled["messageId"]))
        assert ack.status_code == 200
        assert ack.json() == {"acknowledged": pulled["messageId"], "disposition": "accepted"}
        again = await client.get("/api/v1/inbox", params={"after": 0}, headers=PULLER)
        assert again.json()["messages"] == []
        with runtime.engine.connect() as connection:
            status = connection.execute(select(outbox.c.status).where(
                outbox.c.message_id == pulled["messageId"])).scalar_one()
        assert status == "delivered"


async def test_an_acknowledgement_with_another_digest_is_refused(database_url, tmp_path):
    async with client_for(_settings(database_url, tmp_path)) as (client, _runtime):
        await _submit(client)
        pulled = (await client.get("/api/v1/inbox", headers=PULLER)).json()["messages"][0]
        wrong = _receipt_for(pulled["envelope"], pulled["messageId"], digest="0" * 64)
        ack = await client.post("/api/v1/inbox/ack", headers={**PULLER, **JOSE}, content=wrong)
        assert ack.status_code == 404
        assert len((await client.get("/api/v1/inbox", headers=PULLER)).json()["messages"]) == 1


async def test_the_inbox_needs_the_partner_token(database_url, tmp_path):
    async with client_for(_settings(database_url, tmp_path)) as (client, _runtime):
        await _submit(client)
        assert (await client.get("/api/v1/inbox")).status_code == 401
        bad = {"Authorization": "Bearer nope"}
        assert (await client.get("/api/v1/inbox", headers=bad)).status_code == 401
