"""``yipanqi demo``: three real nodes on loopback exchanging the fixture batches."""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path

import httpx
import typer
from rich.console import Console
from rich.table import Table

from gateway.cli._app import app
from gateway.demo import NodeProcess, cluster, demo_key, make_batch, signed_message
from gateway.settings import FIXTURES
from schema.jsoncodec import loads_json

PROVINCE, ZHENGZHOU, ZHOUKOU = "410000-RKJS", "410100-RKJS", "411600-RKJS"
FIXTURE_BATCH = FIXTURES / "documents" / "valid" / "v2" / "change-report-batch.json"


def _count(node: NodeProcess, sql: str) -> int:
    with sqlite3.connect(node.data_dir / "gateway.db") as connection:
        value: int = connection.execute(sql).fetchone()[0]
        return value


def _send(zhengzhou: NodeProcess, console: Console) -> None:
    key = demo_key(ZHENGZHOU)
    batches = [("fixture batch (JSON)", signed_message(loads_json(FIXTURE_BATCH.read_bytes()),
                                                       key, ZHENGZHOU, ZHENGZHOU, "json")),
               ("generated batch of 40 (XML)", signed_message(make_batch(40, prefix="D"),
                                                              key, ZHENGZHOU, ZHENGZHOU,
                                                              "xml"))]
    for name, envelope in batches:
        media = "application/xml" if envelope.lstrip().startswith(b"<") else \
            "application/jose+json"
        response = httpx.post(f"{zhengzhou.url}/api/v1/messages", content=envelope,
                              headers={"Content-Type": media}, timeout=30)
        console.print(f"→ {ZHENGZHOU}: {name}: HTTP {response.status_code}")


def _drained(nodes: list[NodeProcess]) -> bool:
    return all(_count(n, "SELECT count(*) FROM outbox WHERE status IN ('pending','sending')")
               == 0 for n in nodes)


def _summary(nodes: list[NodeProcess], console: Console) -> None:
    table = Table("node", "messages in", "reports stored", "records", "outbox delivered",
                  "outbox waiting", "dead letters", title="一盘棋 demo")
    for node in nodes:
        table.add_row(node.node_id, *(str(_count(node, sql)) for sql in (
            "SELECT count(*) FROM messages WHERE message_type != 'Receipt'",
            "SELECT count(*) FROM reports", "SELECT count(*) FROM records",
            "SELECT count(*) FROM outbox WHERE status = 'delivered'",
            "SELECT count(*) FROM outbox WHERE status IN ('pending','sending')",
            "SELECT count(*) FROM outbox WHERE status = 'dead'")))
    console.print(table)


@app.command()
def demo(
    keep: bool = typer.Option(False, "--keep", help="Keep the nodes' data directories."),
) -> None:
    """Start province, Zhengzhou and Zhoukou nodes, send the fixture batches into Zhengzhou,
    watch the reports reach Zhoukou (registration place) and the province, print a summary."""
    console = Console(highlight=False)
    if not console.is_terminal:  # a log or a pipe: room for the whole table
        console = Console(highlight=False, width=120)
    root = Path(tempfile.mkdtemp(prefix="yipanqi-demo-"))
    nodes = cluster(root, [PROVINCE, ZHENGZHOU, ZHOUKOU])
    started = time.monotonic()
    try:
        for node in nodes:
            node.start(root / f"{node.node_id}.log")
        for node in nodes:
            node.wait_ready()
            console.print(f"node {node.node_id} ready at {node.url}")
        _send(nodes[1], console)
        deadline = time.monotonic() + 20
        while not _drained(nodes) and time.monotonic() < deadline:
            time.sleep(0.1)
        zhoukou = _count(nodes[2], "SELECT count(*) FROM reports")
        province = _count(nodes[0], "SELECT count(*) FROM reports")
        console.print(f"Zhoukou-registered migrants' reports at {ZHOUKOU}: {zhoukou}; "
                      f"everything at {PROVINCE}: {province}")
        _summary(nodes, console)
    finally:
        for node in nodes:
            node.stop()
    console.print(f"done in {time.monotonic() - started:.1f} s; data in {root}"
                  if keep else f"done in {time.monotonic() - started:.1f} s")
    if not keep:
        import shutil
        shutil.rmtree(root, ignore_errors=True)
    if not _ok(zhoukou, province):
        raise typer.Exit(1)


def _ok(zhoukou: int, province: int) -> bool:
    return zhoukou > 0 and province > zhoukou
