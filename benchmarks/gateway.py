"""Gateway ingestion speed over HTTP, on SQLite and PostgreSQL, beside the in-process floor.

    python -m benchmarks.gateway                   # 3,000 singles, one 10,000-report batch
    python -m benchmarks.gateway --singles 1000 --batch 2000 --stores sqlite

Singles: pre-signed one-report JSON messages (ES256) POSTed by ``--clients`` concurrent
HTTP/1.1 clients (httpx, asyncio) to a real ``yipanqi serve`` process (outbox off): messages
per second, p50 and p99 latency. Batch: one signed 10,000-report JSON batch envelope:
reports per second until its receipt is back. Floor: the same per-message work — verify +
validate + store (group commit of 64) + sign the receipts — in-process, without HTTP.
Routing is on (each report goes to the province and the registration place). The client
runs on the same 2 cores as the server.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from gateway.demo import (
    NodeProcess,
    demo_key,
    free_port,
    make_batch,
    make_reports,
    signed_message,
)
from gateway.ingest import WriteContext, commit_group, receive
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
    context = WriteContext(identity, tuple(settings.routes))
    started = time.perf_counter()
    for start in range(0, len(envelopes), 64):
        commit_group(engine, context, [receive(e, identity.keys)
                                       for e in envelopes[start:start + 64]])
    elapsed = time.perf_counter() - started
    engine.dispose()
    return len(envelopes) / elapsed


async def _singles(url: str, envelopes: list[bytes], clients: int) -> tuple[float, list[float]]:
    latencies: list[float] = []
    queue = list(reversed(envelopes))
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        async def worker() -> None:
            while queue:
                envelope = queue.pop()
                sent = time.perf_counter()
                response = await client.post(f"{url}/api/v1/messages", content=envelope,
                                             headers=JOSE)
                assert response.status_code == 200, response.text
                latencies.append(time.perf_counter() - sent)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        return len(envelopes) / (time.perf_counter() - started), latencies


def over_http(url: str, root: Path, singles: list[bytes], batch: bytes, reports: int,
              clients: int) -> tuple[float, float, float, float]:
    node = NodeProcess(NODE, free_port(), root, {"YIPANQI_DATABASE_URL": url,
                                                 "YIPANQI_OUTBOX__ENABLED": "false",
                                                 "YIPANQI_LOG_LEVEL": "warning",
                                                 "YIPANQI_WORKERS": str(WORKERS)})
    node.start(root.parent / "bench.log")
    try:
        node.wait_ready(30)
        rate, latencies = asyncio.run(_singles(node.url, singles, clients))
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
    return rate, p50, p99, batch_rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--singles", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--stores", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--workers", type=int, default=1, help="server processes")
    args = parser.parse_args()
    global WORKERS
    WORKERS = args.workers
    print(f"preparing {args.singles} signed singles and a {args.batch}-report batch ...")
    singles = _messages(args.singles, "S")
    floor_messages = _messages(args.singles, "F")
    batch = signed_message(make_batch(args.batch, prefix="B"), demo_key(NODE), NODE, NODE)
    print(f"{'store':<11} {'singles/s':>10} {'p50 ms':>8} {'p99 ms':>8} "
          f"{'batch reports/s':>16} {'floor msgs/s':>13}")
    with tempfile.TemporaryDirectory() as tmp:
        for store in args.stores:
            root = Path(tmp) / store
            root.mkdir(parents=True)
            with fresh_database(store, root / "db") as url:
                rate, p50, p99, batch_rate = over_http(url, root / "node", singles, batch,
                                                       args.batch, args.clients)
            with fresh_database(store, root / "floor") as url:
                in_process = floor(url, floor_messages)
            print(f"{store:<11} {rate:>10.0f} {p50:>8.1f} {p99:>8.1f} {batch_rate:>16.0f} "
                  f"{in_process:>13.0f}")


if __name__ == "__main__":
    main()
