"""``yipanqi demo``: three real nodes on loopback exchanging the fixture batches, then the
seven departments' sample exports docked at Zhengzhou."""

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
from gateway.demo import (
    ASKED_FOR,
    SAMPLES,
    Loaded,
    NodeProcess,
    cluster,
    demo_key,
    docked,
    load_sample,
    make_batch,
    resolved_items,
    resolved_since,
    send_lacking_records,
    signed_message,
)
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


def _wait_drained(nodes: list[NodeProcess], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not _drained(nodes) and time.monotonic() < deadline:
        time.sleep(0.1)


def _dock(nodes: list[NodeProcess], root: Path, console: Console) -> list[Loaded]:
    """The province sends Zhengzhou the samples' people it lacks; a clerk loads each
    department's sample export with ``yipanqi import --submit``."""
    zhengzhou = nodes[1]
    sent = send_lacking_records(zhengzhou, PROVINCE)
    console.print(f"→ {ZHENGZHOU}: the province's records of the samples' people it lacked: "
                  f"{sent}")
    console.print(f"a clerk at {ZHENGZHOU} loads each sample (fixtures/departments): yipanqi "
                  "import FILE --adapter NAME --submit URL", markup=False)
    loaded = []
    for department in SAMPLES:
        done = load_sample(zhengzhou, department, root)
        console.print(f"  {department}: {done.summary}", markup=False)
        loaded.append(done)
    return loaded


def _assist(zhengzhou: NodeProcess, console: Console) -> int:
    """Asked to assist (协查), the province sends the record of a migrant whose police
    registration waits; Zhengzhou docks it by itself. How many items that resolved."""
    before = resolved_items(zhengzhou)
    sent = send_lacking_records(zhengzhou, PROVINCE, ASKED_FOR)
    redocked = resolved_since(zhengzhou, before)
    console.print(f"→ {ZHENGZHOU}: the province's records asked for (协查): {sent}; pending "
                  f"items they let {ZHENGZHOU} dock by itself: {redocked}")
    return redocked


def _docking_table(zhengzhou: NodeProcess, console: Console) -> dict[str, int]:
    """The notices Zhengzhou took, by department; the totals by outcome."""
    found = docked(zhengzhou)
    outcomes = ("matched", "opened", "pending")
    table = Table("department", "notices", *outcomes,
                  title=f"department notices docked at {ZHENGZHOU} (数据对接)")
    totals: dict[str, int] = {}
    for department in SAMPLES:
        counts = found.get(department.upper(), {})
        for outcome, count in counts.items():
            totals[outcome] = totals.get(outcome, 0) + count
        table.add_row(department.upper(), str(sum(counts.values())),
                      *(str(counts.get(outcome, 0)) for outcome in outcomes))
    console.print(table)
    return totals


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
    watch the reports reach Zhoukou (registration place) and the province; then load the
    seven departments' sample exports into Zhengzhou (yipanqi import --submit), send the record
    of a migrant whose registration waits (协查), and show what docking made of them; print a
    summary."""
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
        _wait_drained(nodes)
        zhoukou = _count(nodes[2], "SELECT count(*) FROM reports")
        province = _count(nodes[0], "SELECT count(*) FROM reports")
        console.print(f"Zhoukou-registered migrants' reports at {ZHOUKOU}: {zhoukou}; "
                      f"everything at {PROVINCE}: {province}")
        loaded = _dock(nodes, root, console)
        redocked = _assist(nodes[1], console)
        _wait_drained(nodes)
        totals = _docking_table(nodes[1], console)
        listing = (f"YIPANQI_DATA_DIR={nodes[1].data_dir} yipanqi pending list" if keep
                   else "yipanqi demo --keep keeps them to list")
        console.print(f"{totals.get('pending', 0)} notices wait at {ZHENGZHOU} as pending "
                      f"items to verify (待核实): {listing}", markup=False, soft_wrap=True)
        _summary(nodes, console)
    finally:
        for node in nodes:
            node.stop()
    console.print(f"done in {time.monotonic() - started:.1f} s; data in {root}"
                  if keep else f"done in {time.monotonic() - started:.1f} s")
    if not keep:
        import shutil
        shutil.rmtree(root, ignore_errors=True)
    if not _ok(zhoukou, province, loaded, totals, redocked):
        raise typer.Exit(1)


def _ok(zhoukou: int, province: int, loaded: list[Loaded], totals: dict[str, int],
        redocked: int) -> bool:
    """The exchange reached Zhoukou and the province; every sample was read (its refused
    rows give exit 1, a failure 2 or more), docking matched and opened records, and the
    record asked for docked what waited for it."""
    return (zhoukou > 0 and province > zhoukou
            and all(done.returncode in (0, 1) for done in loaded)
            and totals.get("matched", 0) > 0 and totals.get("opened", 0) > 0
            and redocked > 0)
