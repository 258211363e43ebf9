"""Real gateway processes on loopback, each with its own store (SQLite file or PG database)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, func, select

from gateway.demo import NodeProcess, cluster
from gateway.store import make_engine, outbox
from tests.gateway.store._db import fresh_database

PROVINCE, ZHENGZHOU, ZHOUKOU = "410000-RKJS", "410100-RKJS", "411600-RKJS"


@contextmanager
def running_cluster(root: Path, store: str, node_ids: list[str],
                    env: dict[str, str] | None = None) -> Iterator[dict[str, NodeProcess]]:
    with ExitStack() as stack:
        nodes = cluster(root, node_ids, env)
        for node in nodes:
            url = stack.enter_context(fresh_database(store, root / "db"))
            node.env["YIPANQI_DATABASE_URL"] = url
        for node in nodes:
            stack.callback(node.stop)
        for node in nodes:
            node.start(root / f"{node.node_id}.log")
        for node in nodes:
            node.wait_ready()
        yield {node.node_id: node for node in nodes}


def engine_of(node: NodeProcess) -> Engine:
    return make_engine(node.env["YIPANQI_DATABASE_URL"])


def count(node: NodeProcess, query: Any) -> int:
    engine = engine_of(node)
    try:
        with engine.connect() as connection:
            return int(connection.execute(query).scalar_one())
    finally:
        engine.dispose()


def waiting(node: NodeProcess) -> int:
    return count(node, select(func.count()).select_from(outbox)
                 .where(outbox.c.status.in_(["pending", "sending"])))


def wait_for(check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def post(node: NodeProcess, envelope: bytes, timeout: float = 30) -> httpx.Response:
    media = "application/xml" if envelope.lstrip().startswith(b"<") else \
        "application/jose+json"
    return httpx.post(f"{node.url}/api/v1/messages", content=envelope,
                      headers={"Content-Type": media}, timeout=timeout)
