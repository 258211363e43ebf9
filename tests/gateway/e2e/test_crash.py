"""Kill the receiving gateway with SIGKILL at random moments while 2,000 reports arrive.

Afterwards every acknowledged report is stored exactly once, none is applied twice, and
the outbox drains to the province.
"""

from __future__ import annotations

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import func, select

from gateway.demo import demo_key, make_report, signed_message
from gateway.store import messages, record_history, records, reports
from tests.gateway.e2e._cluster import (
    PROVINCE,
    ZHENGZHOU,
    count,
    post,
    running_cluster,
    wait_for,
    waiting,
)

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
