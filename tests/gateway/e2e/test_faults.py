"""Partner faults: down, slow, answering 500, resetting connections — then it recovers."""

from __future__ import annotations

import socket
import struct
import threading
import time

import pytest
from sqlalchemy import func, select

from gateway.demo import demo_key, free_port, make_report, signed_message
from gateway.store import dead_letters, destinations, messages, outbox, reports
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


class FaultyProxy:
    """A TCP proxy in front of a partner: ``ok`` forwards; the other modes misbehave."""

    def __init__(self, upstream_port: int) -> None:
        self.port = free_port()
        self.upstream_port = upstream_port
        self.mode = "ok"
        self.listener = socket.create_server(("127.0.0.1", self.port))
        self.listener.settimeout(0.2)
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.running = False
        self.thread.join()
        self.listener.close()

    def _serve(self) -> None:
        while self.running:
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=self._handle, args=(client, self.mode), daemon=True).start()

    def _handle(self, client: socket.socket, mode: str) -> None:
        with client:
            if mode == "reset":
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return
            if mode in ("500", "slow"):
                client.recv(65536)
                if mode == "slow":
                    time.sleep(3)
                client.sendall(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n"
                               b"Connection: close\r\n\r\n")
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.upstream_port), 2)
            except OSError:
                return  # partner down
            with upstream:
                self._pipe(client, upstream)

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        def forward(src: socket.socket, dst: socket.socket) -> None:
            try:
                while data := src.recv(65536):
                    dst.sendall(data)
            except OSError:
                pass
            finally:
                try:
                    dst.shutdown(socket.SHUT_WR)
                except OSError:
                    pass

        other = threading.Thread(target=forward, args=(b, a), daemon=True)
        other.start()
        forward(a, b)
        other.join(10)


def test_delivery_resumes_without_duplicates(tmp_path):
    province_port = free_port()
    proxy = FaultyProxy(province_port)
    env = {"YIPANQI_ROUTES": '[{"to": "410000-RKJS"}]',
           "YIPANQI_OUTBOX__REQUEST_TIMEOUT": "1", "YIPANQI_OUTBOX__BASE_DELAY": "0.1",
           "YIPANQI_OUTBOX__MAX_DELAY": "0.3", "YIPANQI_OUTBOX__MAX_ATTEMPTS": "1000"}
    try:
        with running_cluster(tmp_path, "sqlite", [PROVINCE, ZHENGZHOU], env) as nodes:
            zz, province = nodes[ZHENGZHOU], nodes[PROVINCE]
            province.stop()
            province.port = province_port
            province.env["YIPANQI_PORT"] = str(province_port)
            zz.stop()
            zz.env["YIPANQI_ENDPOINTS"] = f'{{"{PROVINCE}": "http://127.0.0.1:{proxy.port}"}}'
            zz.start(tmp_path / "zz2.log")
            zz.wait_ready()
            key = demo_key(ZHENGZHOU)
            sent = 0
            for mode in ("down", "500", "reset", "slow"):
                proxy.mode = "ok" if mode == "down" else mode
                if mode == "slow":
                    province.start(tmp_path / "p.log")
                    province.wait_ready()
                for _ in range(3):
                    envelope = signed_message(make_report(sent, "F"), key, ZHENGZHOU, ZHENGZHOU)
                    assert post(zz, envelope).status_code == 200
                    sent += 1
                time.sleep(1.0)
                assert waiting(zz) > 0, f"nothing should get through while {mode}"
            if province.process is None or province.process.poll() is not None:
                province.start(tmp_path / "p.log")
                province.wait_ready()
            proxy.mode = "ok"
            try:
                wait_for(lambda: waiting(zz) == 0, 30, "delivery after recovery")
            except AssertionError:
                from gateway.outbox import list_entries
                from tests.gateway.e2e._cluster import engine_of
                raise AssertionError(list_entries(engine_of(zz))) from None
            one = select(func.count()).select_from
            assert count(zz, one(outbox).where(outbox.c.status == "delivered")) == sent
            assert count(zz, one(outbox).where(outbox.c.attempts > 1)) > 0
            assert count(province, one(messages)) == sent  # no duplicate at the partner
            assert count(province, one(reports)) == sent
    finally:
        proxy.close()


def test_a_partner_down_for_longer_than_the_retries_loses_nothing(tmp_path):
    """The province's node is stopped (connections refused) while its outbox entries would
    use up ``max_attempts = 2`` many times over; they wait, none is dead-lettered, and when
    the node is back every one is delivered once."""
    env = {"YIPANQI_ROUTES": '[{"to": "410000-RKJS"}]',
           "YIPANQI_OUTBOX__REQUEST_TIMEOUT": "1", "YIPANQI_OUTBOX__BASE_DELAY": "0.05",
           "YIPANQI_OUTBOX__MAX_DELAY": "0.4", "YIPANQI_OUTBOX__MAX_ATTEMPTS": "2"}
    with running_cluster(tmp_path, "sqlite", [PROVINCE, ZHENGZHOU], env) as nodes:
        zz, province = nodes[ZHENGZHOU], nodes[PROVINCE]
        province.stop()
        key = demo_key(ZHENGZHOU)
        for n in range(6):
            envelope = signed_message(make_report(n, "H"), key, ZHENGZHOU, ZHENGZHOU)
            assert post(zz, envelope).status_code == 200
        one = select(func.count()).select_from
        wait_for(lambda: count(zz, one(destinations)) == 1, 10, "the province held")
        time.sleep(2.0)  # some ten passes at the hold's ceiling
        assert count(zz, one(dead_letters)) == 0
        assert waiting(zz) == 6
        assert count(zz, select(func.max(destinations.c.failures))) >= 3
        province.start(tmp_path / "p.log")
        province.wait_ready()
        wait_for(lambda: waiting(zz) == 0, 30, "delivery once the province is back")
        assert count(zz, one(outbox).where(outbox.c.status == "delivered")) == 6
        assert count(zz, one(destinations)) == 0
        assert count(province, one(messages)) == 6
