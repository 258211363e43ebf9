"""The audit log is hash-chained: intact after traffic, broken by any edit."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from gateway.audit import verify_chain
from gateway.demo import demo_key, make_report, signed_message
from gateway.store import audit_log
from tests.gateway._node import (
    JOSE,
    client_for,
    node_settings,
)

pytestmark = pytest.mark.anyio


async def test_chain_holds_and_detects_tampering(database_url, tmp_path):
    async with client_for(node_settings(database_url, tmp_path)) as (client, runtime):
        for index in range(5):
            envelope = signed_message(make_report(index), demo_key("410100-RKJS"),
                                      "410100-RKJS", "410000-RKJS")
            await client.post("/api/v1/messages", content=envelope, headers=JOSE)
        with runtime.engine.connect() as connection:
            report = verify_chain(connection)
        assert report.ok and report.entries == 5
        with runtime.engine.begin() as connection:
            connection.execute(update(audit_log).where(audit_log.c.seq == 3)
                               .values(detail='{"forged":true}'))
        with runtime.engine.connect() as connection:
            report = verify_chain(connection)
        assert (report.ok, report.broken_at) == (False, 3)
