"""Docking in the demo: the seven departments' sample exports loaded into a city's node.

The province first sends the city the records of the samples' people that it lacks
(``fixtures/departments/records.json``); a clerk then loads each sample with ``yipanqi import
FILE --adapter NAME --submit URL``, one department after another, as a real process. Asked to
assist (协查), the province last sends the record of a migrant whose registration waits
(``fixtures/departments/asked-for.json``), and the city docks the registration by itself.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from gateway.demo._nodes import OPERATOR_TOKEN, NodeProcess
from gateway.demo._sign import demo_key, signed_message
from gateway.settings import FIXTURES
from schema.jsoncodec import loads_json
from schema.models import v2

DEPARTMENTS = FIXTURES / "departments"
RECORDS = DEPARTMENTS / "records.json"
ASKED_FOR = DEPARTMENTS / "asked-for.json"
#: The departments in the order their samples are loaded.
SAMPLES = ("ga", "mz", "ws", "rs", "jy", "gs", "fg")
_AUTH = {"Authorization": f"Bearer {OPERATOR_TOKEN}"}


def sample_of(department: str) -> Path:
    """The sample export of ``department`` (the file beside its ``expected.json``)."""
    return next(p for p in sorted((DEPARTMENTS / department).iterdir())
                if p.name != "expected.json")


def send_lacking_records(city: NodeProcess, province: str, records: Path = RECORDS) -> int:
    """The province sends ``city`` the records of ``records`` (a batch file; the samples'
    people) it does not hold; how many it sent."""
    batch = loads_json(records.read_bytes())
    assert isinstance(batch, v2.ChangeReportBatch)
    lacking = [report for report in batch.reports
               if httpx.get(f"{city.url}/api/v1/records/{report.record.id_number}",
                            headers=_AUTH, timeout=10).status_code == 404]
    if not lacking:
        return 0
    sent = batch.model_copy(update={"reports": lacking, "report_count": len(lacking)})
    envelope = signed_message(sent, demo_key(province), province, city.node_id)
    response = httpx.post(f"{city.url}/api/v1/messages", content=envelope, timeout=30,
                          headers={"Content-Type": "application/jose+json"})
    response.raise_for_status()
    return len(lacking)


@dataclass(frozen=True, slots=True)
class Loaded:
    """One sample loaded: the import's exit status and its summary line."""

    department: str
    returncode: int
    summary: str


def load_sample(city: NodeProcess, department: str, rejects_dir: Path) -> Loaded:
    """``yipanqi import SAMPLE --adapter DEPARTMENT --submit CITY``, as a clerk runs it."""
    sample = sample_of(department)
    done = subprocess.run(
        [sys.executable, "-c", "from gateway.cli import main; main()", "import", str(sample),
         "--adapter", department, "--submit", city.url, "--rejects",
         str(rejects_dir / f"{department}.rejects{sample.suffix}")],
        capture_output=True, text=True, encoding="utf-8", timeout=120, check=False,
        env={**os.environ, "YIPANQI_OPERATOR_TOKEN": OPERATOR_TOKEN})
    lines = [line for line in done.stderr.splitlines() if "rows read 读取" in line]
    summary = lines[-1].split(": ", 1)[-1] if lines else done.stderr.strip()[-300:]
    return Loaded(department, done.returncode, summary)


def resolved_items(city: NodeProcess) -> int:
    """How many of the city's pending items are resolved."""
    with sqlite3.connect(city.data_dir / "gateway.db") as connection:
        found: int = connection.execute(
            "SELECT count(*) FROM pending_items WHERE status = 'resolved'").fetchone()[0]
    return found


def resolved_since(city: NodeProcess, before: int, timeout: float = 30.0) -> int:
    """How many more pending items the city has resolved than ``before``, once it has
    resolved any (it docks what a message unblocked after answering it), or after
    ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while (more := resolved_items(city) - before) == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    return more


def docked(city: NodeProcess) -> dict[str, dict[str, int]]:
    """The notices the city took, by department and outcome (matched, opened, pending…)."""
    found: dict[str, dict[str, int]] = {}
    with sqlite3.connect(city.data_dir / "gateway.db") as connection:
        for department, outcome, count in connection.execute(
                "SELECT department, outcome, count(*) FROM notices GROUP BY 1, 2"):
            found.setdefault(department, {})[outcome] = count
    return found
