"""Kill the receiving gateway with SIGKILL: at random moments while 2,000 reports arrive,
and while it docks again the notices a batch it answered unblocked.

Afterwards every acknowledged report is stored exactly once, none is applied twice, and
the outbox drains to the province; the notices left undocked are docked at restart.
"""

from __future__ import annotations

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import func, select

from gateway.demo import OPERATOR_TOKEN, demo_key, make_batch, make_report, signed_message
from gateway.store import (
    messages,
    pending_items,
    record_history,
    records,
    records_to_follow,
    reports,
)
from tests.gateway.docking._people import notice
from tests.gateway.e2e._cluster import (
    PROVINCE,
    ZHENGZHOU,
    count,
    post,
    running_cluster,
    wait_for,
    waiting,
)
from tests.gateway.store._db import STORES

pytestmark = pytest.mark.slow
TOTAL, KILLS, SENDERS = 2000, 5, 8


def _send_until_acknowledged(node, envelope: bytes, stop: threading.Event) -> bool:
    while not stop.is_set():
        try:
            status = post(node, envelope, timeout=10).status_code
            if status == 200:
                return True
            assert status == 503, f"HTTP {status}"  # store unavailable: retry
        except httpx.HTTPError:
            pass
        time.sleep(0.05)  # the node is down: retry, like any sender
    return False


def _killer(node, done: threading.Event, kills: list[float], errors: list[str]) -> None:
    rng = random.Random(4)
    try:
        while len(kills) < KILLS and not done.is_set():
            time.sleep(rng.uniform(0.3, 1.2))
            node.kill()
            kills.append(time.monotonic())
            node.start(node.data_dir.parent / f"{node.node_id}.log")
            node.wait_ready(30)
    except Exception as exc:  # reported by the test
        errors.append(repr(exc))


def test_nothing_acknowledged_is_lost_or_doubled(tmp_path):
    env = {"YIPANQI_ROUTES": '[{"to": "410000-RKJS"}]'}
    with running_cluster(tmp_path, "sqlite", [PROVINCE, ZHENGZHOU], env) as nodes:
        zz, province = nodes[ZHENGZHOU], nodes[PROVINCE]
        key = demo_key(ZHENGZHOU)
        envelopes = [signed_message(make_report(i, "K"), key, ZHENGZHOU, ZHENGZHOU,
                                    "xml" if i % 2 else "json", message_id=f"K-{i}")
                     for i in range(TOTAL)]
        stop, done = threading.Event(), threading.Event()
        kills: list[float] = []
        errors: list[str] = []
        killer = threading.Thread(target=_killer, args=(zz, done, kills, errors))
        killer.start()
        try:
            with ThreadPoolExecutor(SENDERS) as pool:
                acknowledged = list(pool.map(
                    lambda e: _send_until_acknowledged(zz, e, stop), envelopes))
            while len(kills) < KILLS and killer.is_alive():  # not five kills yet: wait
                time.sleep(0.2)
        finally:
            done.set()
            killer.join()
            stop.set()
        assert not errors, errors
        zz.wait_ready(30)
        assert all(acknowledged), f"{acknowledged.count(False)} never acknowledged"
        assert len(kills) >= KILLS, f"only {len(kills)} kills"
        one = select(func.count()).select_from
        assert count(zz, one(messages).where(messages.c.message_type != "Receipt")) == TOTAL
        assert count(zz, one(reports)) == TOTAL
        assert count(zz, select(func.count(func.distinct(reports.c.report_id)))) == TOTAL
        assert count(zz, one(records).where(records.c.version == 1)) == TOTAL
        assert count(zz, one(record_history)) == TOTAL  # none applied twice
        wait_for(lambda: waiting(zz) == 0, 90, "Zhengzhou's outbox to drain")
        assert count(province, select(func.count(func.distinct(reports.c.report_id)))) == TOTAL
        assert count(province, one(reports)) == TOTAL


#: Notices waiting for the records a batch brings; enough that docking them again takes the
#: node well over a second (chunks of 500, a transaction each).
UNBLOCKED = 1500


def _open_items(node) -> int:
    return count(node, select(func.count()).select_from(pending_items)
                 .where(pending_items.c.status == "open"))


@pytest.mark.parametrize("store", STORES)
def test_a_node_killed_while_docking_what_a_batch_unblocked_docks_the_rest_at_restart(
        tmp_path, store):
    """Zhengzhou holds notices about 1,500 people it does not know. The province's batch of
    their records arrives and is answered; the node is killed with SIGKILL while it docks
    the notices again. Restarted, it docks the rest by itself: every record takes its notice
    once, and nothing is left noted."""
    with running_cluster(tmp_path, store, [ZHENGZHOU]) as nodes:
        zz = nodes[ZHENGZHOU]
        batch = make_batch(UNBLOCKED, prefix="P")
        sent = [notice(id_number=r.record.id_number, name=r.record.name, phone="13600000001")
                for r in batch.reports]
        answer = httpx.post(f"{zz.url}/api/v1/notices", json={"notices": sent},
                            headers={"Authorization": f"Bearer {OPERATOR_TOKEN}"}, timeout=120)
        assert answer.status_code == 200, answer.text
        assert {n["kind"] for n in answer.json()["notices"]} == {"unknown-person"}

        envelope = signed_message(batch, demo_key(PROVINCE), PROVINCE, ZHENGZHOU)
        assert post(zz, envelope, timeout=120).status_code == 200
        zz.kill()
        left, noted = _open_items(zz), count(zz, select(func.count()).select_from(
            records_to_follow))
        assert left > 0, "the node docked everything before it was killed: kill it sooner"
        assert noted == UNBLOCKED  # forgotten only once the run is done

        zz.start(tmp_path / "restarted.log")
        zz.wait_ready(30)
        wait_for(lambda: _open_items(zz) == 0, 120, "the restarted node to dock the rest")
        wait_for(lambda: count(zz, select(func.count()).select_from(records_to_follow)) == 0,
                 30, "the restarted node to forget what it followed")
        one = select(func.count()).select_from
        assert count(zz, one(records).where(records.c.version == 2)) == UNBLOCKED
        assert count(zz, one(reports).where(reports.c.report_id.like("D-%"))) == UNBLOCKED
        assert count(zz, one(record_history)) == 2 * UNBLOCKED  # none applied twice
