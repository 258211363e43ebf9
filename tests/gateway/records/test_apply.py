"""Reports apply in order; behind the version is a conflict; ahead is held — both stores."""

from __future__ import annotations

import pytest

from gateway.demo import demo_key, make_report, signed_message
from gateway.envelope import PinnedKey, verify_envelope
from schema.models.receipt import Receipt
from tests.gateway._node import (
    JOSE,
    OPERATOR,
    client_for,
    node_settings,
)

pytestmark = pytest.mark.anyio
ZZ, PROVINCE = "410100-RKJS", "410000-RKJS"


def _version(report_id: str, base: int, remarks: str):
    return make_report(5).model_copy(update={"report_id": report_id, "base_version": base,
                                             "remarks": remarks})


async def _post(client, report) -> Receipt:
    envelope = signed_message(report, demo_key(ZZ), ZZ, PROVINCE)
    response = await client.post("/api/v1/messages", content=envelope, headers=JOSE)
    assert response.status_code == 200
    verified = verify_envelope(response.content,
                               PinnedKey(demo_key(PROVINCE).private_key.public_key()))
    receipt = verified.document_model()
    assert isinstance(receipt, Receipt)
    return receipt


async def test_versions_history_conflicts_and_held_reports(database_url, tmp_path):
    person = make_report(5).record.id_number
    async with client_for(node_settings(database_url, tmp_path)) as (client, _):
        await _post(client, _version("A", 0, "first"))
        held = await _post(client, _version("C", 2, "third, early"))
        assert [(r.report_id, r.outcome) for r in held.results or []] == [("C", "held")]
        await _post(client, _version("B", 1, "second"))  # applies, then C applies
        conflict = await _post(client, _version("X", 1, "stale"))
        assert [(r.report_id, r.outcome, r.record_version) for r in conflict.results or []] \
            == [("X", "conflict", 3)]
        record = (await client.get(f"/api/v1/records/{person}", headers=OPERATOR)).json()
        assert record["version"] == 3 and record["lastReportId"] == "C"
        assert [c["reportId"] for c in record["conflicts"]] == ["X"]
        history = (await client.get(f"/api/v1/records/{person}/history",
                                    headers=OPERATOR)).json()
        assert [v["reportId"] for v in history["versions"]] == ["A", "B", "C"]
        assert [v["version"] for v in history["versions"]] == [1, 2, 3]


async def test_same_base_in_one_group_applies_in_effective_date_order(database_url, tmp_path):
    import asyncio
    import datetime as dt

    late = _version("L", 0, "late").model_copy(update={"effective_date": dt.date(2010, 3, 20)})
    early = _version("E", 0, "early").model_copy(update={"effective_date": dt.date(2010, 3, 16)})
    async with client_for(node_settings(database_url, tmp_path)) as (client, _):
        receipts = await asyncio.gather(_post(client, late), _post(client, early))
        outcomes = {r.report_id: r.outcome for receipt in receipts
                    for r in receipt.results or []}
        person = early.record.id_number
        record = (await client.get(f"/api/v1/records/{person}", headers=OPERATOR)).json()
        if len(outcomes) == 1:  # two groups: arrival order decided
            assert record["version"] == 1
        else:
            assert record["lastReportId"] == "E" and outcomes == {"L": "conflict"}


async def test_records_need_the_operator_token(tmp_path):
    async with client_for(node_settings(f"sqlite:///{tmp_path}/g.db", tmp_path)) as (client, _):
        url = "/api/v1/records/411622198503124529"
        assert (await client.get(url)).status_code == 401
        assert (await client.get(url, headers={"Authorization": "Bearer x"})).status_code == 401
        assert (await client.get(url, headers=OPERATOR)).status_code == 404
        assert (await client.get("/api/v1/records/123", headers=OPERATOR)).status_code == 400
