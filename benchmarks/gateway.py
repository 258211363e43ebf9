"""Gateway ingestion speed over HTTP, on SQLite and PostgreSQL, beside the in-process floor.

    python -m benchmarks.gateway                   # 3,000 singles, one 10,000-report batch
    python -m benchmarks.gateway --singles 1000 --batch 2000 --stores sqlite

Singles: pre-signed one-report JSON messages (ES256) POSTed by ``--clients`` concurrent
HTTP/1.1 clients (httpx, asyncio) to a real ``yipanqi serve`` process (outbox off): messages
per second, p50 and p99 latency. Batch: one signed 10,000-report JSON batch envelope:
reports per second until its receipt is back. Floor: the same per-message work — verify +
validate + store (group commit of 64) + sign the receipts — in-process, without HTTP.
Routing is on (each report goes to the province and the registration place). The client
runs on the same 2 cores as the server: a lean one (raw asyncio streams on uvloop, HTTP/1.1
keep-alive, one connection per client), after ``--warmup`` singles that are not counted.
**Other load**: the cores other processes of the machine used during the singles run
(``/proc/stat`` minus the server's and the client's CPU); the CPU-normalised rate is the
singles rate scaled by cores / (cores - other load).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

import httpx
import uvloop

from gateway.demo import (
    NodeProcess,
    demo_key,
    free_port,
    make_batch,
    make_reports,
    signed_message,
)
from gateway.ingest import GroupCommitter, WriteContext, receive
from gateway.node import load_identity
from gateway.settings import load_settings
from gateway.store import make_engine, upgrade
from tests.gateway.store._db import fresh_database

NODE = "410100-RKJS"
WORKERS = 1
JOSE = {"Content-Type": "application/jose+json"}


def _messages(count: int, prefix: str) -> list[bytes]:
    key = demo_key(NODE)
    return [signed_message(report, key, NODE, NODE, "json")
            for report in make_reports(count, prefix=prefix)]


def floor(url: str, envelopes: list[bytes]) -> float:
    settings = load_settings(node_id=NODE, database_url=url)
    identity = load_identity(settings)
    engine = make_engine(url)
    upgrade(engine)
    committer = GroupCommitter(engine, WriteContext(identity, tuple(settings.routes)))
    started = time.perf_counter()
    for start in range(0, len(envelopes), 64):
        committer.commit([receive(e, identity.keys) for e in envelopes[start:start + 64]])
    committer.flush()
    elapsed = time.perf_counter() - started
    engine.dispose()
    return len(envelopes) / elapsed


async def _post(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, head: bytes,
                body: bytes) -> None:
    writer.write(head + str(len(body)).encode() + b"\r\n\r\n" + body)
    status = await reader.readuntil(b"\r\n")
    length = 0
    for line in (await reader.readuntil(b"\r\n\r\n")).split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    answer = await reader.readexactly(length)
    assert status.split(b" ", 2)[1] == b"200", answer


async def _singles(url: str, envelopes: list[bytes], clients: int) -> tuple[float, list[float]]:
    """A lean HTTP/1.1 client: one keep-alive connection per client, raw asyncio streams."""
    latencies: list[float] = []
    queue = list(reversed(envelopes))
    host, port = url.removeprefix("http://").split(":")
    head = (f"POST /api/v1/messages HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"Content-Type: application/jose+json\r\nContent-Length: ").encode()

    async def worker() -> None:
        reader, writer = await asyncio.open_connection(host, int(port))
        while queue:
            envelope = queue.pop()
            sent = time.perf_counter()
            await _post(reader, writer, head, envelope)
            latencies.append(time.perf_counter() - sent)
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    return len(envelopes) / (time.perf_counter() - started), latencies


def _ticks(path: str, fields: slice) -> int:
    try:
        with open(path) as stat:
            return sum(int(v) for v in stat.read().rsplit(")", 1)[-1].split()[fields])
    except OSError:
        return 0


def _machine_busy() -> float:
    """CPU seconds all processes of the machine used so far (Linux ``/proc/stat``)."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:9]]
    return (sum(values) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")


def _ours(server: int) -> float:
    """CPU seconds of the server (and its worker processes) and of this client process."""
    pids = [server] + [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()
                       and _ticks(f"/proc/{p.name}/stat", slice(1, 2)) == server]
    ticks = sum(_ticks(f"/proc/{pid}/stat", slice(11, 13)) for pid in pids)
    own = resource.getrusage(resource.RUSAGE_SELF)
    return ticks / os.sysconf("SC_CLK_TCK") + own.ru_utime + own.ru_stime


class OtherLoad:
    """How many cores other processes of the machine used while we measured."""

    def __init__(self, server: int) -> None:
        self.server = server
        self.started = (time.perf_counter(), _machine_busy(), _ours(server))

    def cores(self) -> float:
        wall, busy, ours = self.started
        elapsed = time.perf_counter() - wall
        return max(0.0, (_machine_busy() - busy) - (_ours(self.server) - ours)) / elapsed


def over_http(url: str, root: Path, singles: list[bytes], batch: bytes, reports: int,
              clients: int, warmup: list[bytes]) -> tuple[float, float, float, float, float]:
    node = NodeProcess(NODE, free_port(), root, {"YIPANQI_DATABASE_URL": url,
                                                 "YIPANQI_OUTBOX__ENABLED": "false",
                                                 "YIPANQI_LOG_LEVEL": "warning",
                                                 "YIPANQI_WORKERS": str(WORKERS)})
    node.start(root.parent / "bench.log")
    try:
        node.wait_ready(30)
        if warmup:
            uvloop.run(_singles(node.url, warmup, clients))
        assert node.process is not None
        load = OtherLoad(node.process.pid)
        rate, latencies = uvloop.run(_singles(node.url, singles, clients))
        others = load.cores()
        latencies.sort()
        p50 = statistics.median(latencies) * 1000
        p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
        started = time.perf_counter()
        response = httpx.post(f"{node.url}/api/v1/messages", content=batch, headers=JOSE,
                              timeout=600)
        assert response.status_code == 200, response.text
        batch_rate = reports / (time.perf_counter() - started)
    finally:
        node.stop()
    return rate, p50, p99, batch_rate, others


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--singles", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--warmup", type=int, default=200,
                        help="singles sent first, not counted")
    parser.add_argument("--stores", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    args = parser.parse_args()
    global WORKERS
    WORKERS = args.workers
    print(f"preparing {args.singles} signed singles and a {args.batch}-report batch ...")
    singles = _messages(args.singles, "S")
    warmup = _messages(args.warmup, "W")
    floor_messages = _messages(args.singles, "F")
    batch = signed_message(make_batch(args.batch, prefix="B"), demo_key(NODE), NODE, NODE)
    cores = os.cpu_count() or 1
    print(f"{'store':<11} {'singles/s':>10} {'p50 ms':>8} {'p99 ms':>8} "
          f"{'batch reports/s':>16} {'floor msgs/s':>13} {'other load':>11} "
          f"{'singles/s CPU-normalised':>25}")
    with tempfile.TemporaryDirectory() as tmp:
        for store in args.stores:
            root = Path(tmp) / store
            root.mkdir(parents=True)
            with fresh_database(store, root / "db") as url:
                rate, p50, p99, batch_rate, others = over_http(
                    url, root / "node", singles, batch, args.batch, args.clients, warmup)
            with fresh_database(store, root / "floor") as url:
                in_process = floor(url, floor_messages)
            normalised = rate * cores / max(cores - others, 0.1)
            print(f"{store:<11} {rate:>10.0f} {p50:>8.1f} {p99:>8.1f} {batch_rate:>16.0f} "
                  f"{in_process:>13.0f} {others:>6.2f} cores {normalised:>25.0f}")


if __name__ == "__main__":
    main()
