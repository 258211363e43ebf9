"""ID numbers never reach the node's logs whole (CONVENTIONS: personal data masked)."""

from __future__ import annotations

import logging
import re

import pytest

from gateway.app._logging import mask
from gateway.demo import demo_key, make_report, signed_message
from tests.gateway._node import JOSE, OPERATOR, client_for, node_settings

pytestmark = pytest.mark.anyio
ZZ = "410100-RKJS"
WHOLE_ID = re.compile(r"(?<![0-9])[0-9]{17}[0-9X](?![0-9X])")


def test_mask_keeps_four_and_two():
    assert mask("/api/v1/records/411622198503124529/history") == \
        "/api/v1/records/4116************29/history"
    assert mask("41162219850312452X and 411622198503124529") == \
        "4116************2X and 4116************29"


async def test_no_whole_id_number_in_the_logs(database_url, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    report = make_report(11)
    id_number = report.record.id_number
    unknown = id_number[:-4] + ("0000" if id_number[-4:] != "0000" else "1111")
    async with client_for(node_settings(database_url, tmp_path, node_id=ZZ)) as (client, _):
        own = signed_message(report, demo_key(ZZ), ZZ, ZZ)
        assert (await client.post("/api/v1/messages", content=own, headers=JOSE)) \
            .status_code == 200
        for path in (f"/api/v1/records/{id_number}", f"/api/v1/records/{id_number}/history",
                     f"/api/v1/records/{unknown}"):
            await client.get(path, headers=OPERATOR)
        await client.get(f"/api/v1/records/{id_number}")  # refused: no token
        await client.post("/api/v1/messages", content=own.replace(b'"signature": "',
                                                                  b'"signature": "A'),
                          headers=JOSE)  # refused: bad signature
    # everything the node logged; not the test's own HTTP client (httpx, httpcore)
    logged = "\n".join(caplog.handler.format(record) for record in caplog.records
                       if not record.name.startswith(("httpx", "httpcore")))
    assert "GET /api/v1/records/" in logged  # the access log did run
    assert id_number[:4] + "*" * 12 + id_number[-2:] in logged
    assert WHOLE_ID.findall(logged) == []
