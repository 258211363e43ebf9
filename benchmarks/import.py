"""Department import speed and memory, against decoding and splitting with ``csv``.

    python benchmarks/import.py [--rows 1000000] [--file PATH]

Writes a ``--rows``-row public security export (GB18030, CRLF, every row distinct and valid,
the five date forms, legacy 15-digit and full-width ID numbers: ``fixtures/departments/
synthetic.py``), then runs, each as its own process tree:

- the floor: Python's ``csv`` module reading the same file decoded as GB18030, rows counted;
- ours, in order: ``yipanqi import FILE --adapter ga -j 1 -o /dev/null`` — read, normalise,
  build and validate each notice against the standard, run the rules, check repeats, write
  JSON Lines, all in one process;
- ours, on every core: the same command with its default ``--jobs`` (one worker a core).

Prints wall and CPU seconds (of the whole tree), rows per second, the ratio of wall time to
the floor's, and memory: the peak resident set of the largest process and the peak of the
tree's total proportional set size (PSS: pages shared by the forked workers counted once),
both sampled every 20 ms from /proc (``benchmarks/treememory.py``). Issue 5's targets: at
least 30,000 rows/s on one core (the in-order run's CPU time), within 4x the floor (wall
time), under 150 MB (total PSS).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.treememory import TreeMemory  # noqa: E402
from fixtures.departments.synthetic import write_export  # noqa: E402

TARGET_RATE = 30_000
TARGET_RATIO = 4.0
TARGET_MB = 150


def floor(path: str) -> None:
    """The reference: decode GB18030 and split with ``csv``, nothing else."""
    with open(path, encoding="gb18030", newline="") as handle:
        rows = sum(1 for _ in csv.reader(handle)) - 1
    print(json.dumps({"rows": rows}))


class Run(NamedTuple):
    wall: float
    cpu: float
    largest_rss_mib: float
    total_pss_mib: float


def run(command: list[str]) -> Run:
    """Wall and CPU seconds of a command's process tree, and its memory peaks."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with TreeMemory(process.pid) as memory:
        stderr = process.stderr.read().decode() if process.stderr else ""
        # wait4 gives the rusage of the process and of the children it waited for (workers).
        _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"{' '.join(command)}: exit status {process.returncode}\n{stderr[-2000:]}")
    return Run(elapsed, usage.ru_utime + usage.ru_stime, memory.peak_rss_kib / 1024,
               memory.peak_pss_kib / 1024)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--file", type=Path, help="keep the export here (default: a temp dir)")
    parser.add_argument("--phase", choices=["floor"], help=argparse.SUPPRESS)
    parser.add_argument("path", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "floor":
        floor(args.path)
        return
    yipanqi = [sys.executable, "-c", "from gateway.cli import main; main()"]
    with tempfile.TemporaryDirectory() as tmp:
        path = args.file or Path(tmp) / "暂住人口登记信息.csv"
        start = time.perf_counter()
        with open(path, "wb") as handle:
            write_export(handle, args.rows)
        size = path.stat().st_size
        print(f"export: {args.rows:,} rows, {size / 2**20:,.0f} MiB GB18030, written in "
              f"{time.perf_counter() - start:.0f} s; Python {sys.version.split()[0]}, "
              f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
        command = [*yipanqi, "import", str(path), "--adapter", "ga", "-o", os.devnull,
                   "--rejects", str(Path(tmp) / "rejects.csv")]
        runs = {
            "floor: csv.reader over GB18030": run([sys.executable, __file__, "--phase",
                                                   "floor", str(path)]),
            "yipanqi import -j 1 (in order)": run([*command, "-j", "1"]),
            f"yipanqi import (every core: {os.cpu_count()})": run(command),
        }
    print(f"{'':<40} {'wall s':>7} {'CPU s':>7} {'rows/s':>9} {'rows/s CPU':>11} "
          f"{'x floor':>8} {'RSS MiB':>8} {'PSS MiB':>8}")
    reference = runs["floor: csv.reader over GB18030"].wall
    for label, measured in runs.items():
        print(f"{label:<40} {measured.wall:7.2f} {measured.cpu:7.2f} "
              f"{args.rows / measured.wall:9,.0f} {args.rows / measured.cpu:11,.0f} "
              f"{measured.wall / reference:8.1f} {measured.largest_rss_mib:8.0f} "
              f"{measured.total_pss_mib:8.0f}")
    in_order, every_core = list(runs.values())[1:]
    rate = args.rows / in_order.cpu
    ratio = every_core.wall / reference
    peak = max(in_order.total_pss_mib, every_core.total_pss_mib) * 1.048576
    for name, ok, shown in (
            (f"≥ {TARGET_RATE:,} rows/s on one core", rate >= TARGET_RATE, f"{rate:,.0f}"),
            (f"within {TARGET_RATIO:.0f}x the floor", ratio <= TARGET_RATIO, f"{ratio:.1f}x"),
            (f"memory < {TARGET_MB} MB", peak < TARGET_MB, f"{peak:.0f} MB")):
        print(f"target {name}: {shown} {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
