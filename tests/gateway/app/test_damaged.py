"""Signed envelopes damaged at random, byte by byte, posted to a node on both stores: each is
refused with a 4xx and a reason, or taken as the message it was; never a 500, never a
second report, never changed content."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import select

from gateway.store import reports
from tests._damage import overwritten_by
from tests.gateway._node import client_for, media, node_settings
from tests.gateway._support import FIXTURES

pytestmark = pytest.mark.anyio
ENVELOPES = FIXTURES / "envelopes"
#: Bytes that matter to the parsers: markup, quotes, entities, base64 and JSON syntax, bytes
#: that are no UTF-8, a NUL.
_PIECES = [b"<", b">", b"&", b'"', b"'", b"=", b"/", b" ", b"\n", b"\x00", b"\xff", b"\xc3",
           b"A", b"-", b"_", b".", b"{", b"}", b"[", b",", b":", b"\\", b"0", b""]


@pytest.mark.parametrize("name", ["change-report.xml", "change-report.json"])
async def test_a_damaged_envelope_is_refused_with_a_reason_or_taken_unchanged(
        database_url, tmp_path, name):
    envelope = (ENVELOPES / name).read_bytes()
    rng = random.Random(name)
    async with client_for(node_settings(database_url, tmp_path)) as (client, runtime):
        first = await client.post("/api/v1/messages", content=envelope, headers=media(envelope))
        assert first.status_code == 200
        with runtime.engine.connect() as connection:
            stored = connection.execute(select(reports)).all()
        assert len(stored) == 1
        statuses: set[int] = set()
        for _ in range(200):
            body = overwritten_by(rng, envelope, _PIECES)
            response = await client.post("/api/v1/messages", content=body,
                                         headers=media(envelope))
            statuses.add(response.status_code)
            assert response.status_code < 500, (body, response.text)
            if response.status_code >= 400:
                refusal = response.json()
                assert refusal["error"] and refusal["message"], (body, refusal)
            else:  # the damage undone by chance: the repeat's original receipt
                assert (body, response.content) == (envelope, first.content)
        with runtime.engine.connect() as connection:
            assert connection.execute(select(reports)).all() == stored
        # (Damage reached the node: some bodies were refused.)
        assert statuses - {200}
