"""Three real gateways over HTTP on loopback: province, Zhengzhou, Zhoukou — both stores."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from gateway.demo import OPERATOR_TOKEN, demo_key, make_batch, make_report, signed_message
from gateway.store import messages, record_history, records, reports
from tests.gateway.e2e._cluster import (
    PROVINCE,
    ZHENGZHOU,
    ZHOUKOU,
    count,
    post,
    running_cluster,
    wait_for,
    waiting,
)
from tests.gateway.store._db import STORES

pytestmark = pytest.mark.slow


def _n(node, table, *where) -> int:
    return count(node, select(func.count()).select_from(table).where(*where))


@pytest.mark.parametrize("store", STORES)
def test_reports_reach_registration_place_and_province(tmp_path, store):
    with running_cluster(tmp_path, store, [PROVINCE, ZHENGZHOU, ZHOUKOU]) as nodes:
        zz = nodes[ZHENGZHOU]
        key = demo_key(ZHENGZHOU)
        assert post(zz, signed_message(make_batch(30), key, ZHENGZHOU, ZHENGZHOU, "xml")) \
            .status_code == 200
        single = signed_message(make_report(100), key, ZHENGZHOU, ZHENGZHOU, "json")
        assert post(zz, single).status_code == 200
        wait_for(lambda: all(waiting(n) == 0 for n in nodes.values()), 30, "the outboxes")
        zhoukou_registered = sum(1 for i in [*range(30), 100]
                                 if make_report(i).record.hukou_region.startswith("4116"))
        assert _n(nodes[ZHOUKOU], reports) == zhoukou_registered
        assert _n(nodes[PROVINCE], reports) == 31
        assert _n(nodes[PROVINCE], records) == 31
        # applied receipts came back to Zhengzhou from both partners
        assert _n(zz, messages, messages.c.message_type == "Receipt") \
            == zhoukou_registered + 2
        person = make_report(0).record.id_number
        import httpx
        response = httpx.get(f"{nodes[ZHOUKOU].url}/api/v1/records/{person}",
                             headers={"Authorization": f"Bearer {OPERATOR_TOKEN}"})
        assert response.status_code == 200 and response.json()["version"] == 1
        assert _n(nodes[ZHOUKOU], record_history) == zhoukou_registered
