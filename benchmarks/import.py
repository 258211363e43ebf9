"""Department import speed and memory, against decoding and splitting with ``csv``.

    python benchmarks/import.py [--rows 1000000] [--file PATH]

Writes a ``--rows``-row public security export (GB18030, CRLF, every row distinct and valid,
the five date forms, legacy 15-digit and full-width ID numbers: ``fixtures/departments/
synthetic.py``), then runs, each in its own process:

- the floor: Python's ``csv`` module reading the same file decoded as GB18030, rows counted;
- ours: ``yipanqi import FILE --adapter ga -o /dev/null`` — read, normalise, build and
  validate each notice against the standard, run the rules, check repeats, write JSON Lines.

Prints wall and CPU seconds, rows per second, the ratio to the floor and the peak resident
memory of each process. The targets of issue 5 are checked on CPU time (the machine may be
shared): at least 30,000 rows/s on one core, within 4x the floor, under 150 MB.
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

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from fixtures.departments.synthetic import write_export  # noqa: E402

TARGET_RATE = 30_000
TARGET_RATIO = 4.0
TARGET_MIB = 150


def floor(path: str) -> None:
    """The reference: decode GB18030 and split with ``csv``, nothing else."""
    with open(path, encoding="gb18030", newline="") as handle:
        rows = sum(1 for _ in csv.reader(handle)) - 1
    print(json.dumps({"rows": rows}))


def run(command: list[str]) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds, peak resident MiB and exit status of a command."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = process.stderr.read().decode() if process.stderr else ""
    process.wait()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"{' '.join(command)}: exit status {code}\n{stderr[-2000:]}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, code


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
        reference = run([sys.executable, __file__, "--phase", "floor", str(path)])
        ours = run([*yipanqi, "import", str(path), "--adapter", "ga", "-o", os.devnull,
                    "--rejects", str(Path(tmp) / "rejects.csv")])
    print(f"{'':<44} {'wall s':>8} {'CPU s':>8} {'rows/s (CPU)':>13} {'peak MiB':>9}")
    for label, (wall, cpu, peak, _) in (("floor: csv.reader over GB18030", reference),
                                        ("yipanqi import --adapter ga (JSON Lines)", ours)):
        print(f"{label:<44} {wall:8.2f} {cpu:8.2f} {args.rows / cpu:13,.0f} {peak:9.0f}")
    rate, ratio, peak = args.rows / ours[1], ours[1] / reference[1], ours[2]
    print(f"ours/floor CPU time: {ratio:.1f}x")
    for name, ok, shown in (
            (f"≥ {TARGET_RATE:,} rows/s on one core", rate >= TARGET_RATE, f"{rate:,.0f}"),
            (f"within {TARGET_RATIO:.0f}x the floor", ratio <= TARGET_RATIO, f"{ratio:.1f}x"),
            (f"peak memory < {TARGET_MIB} MB", peak * 1.048576 < TARGET_MIB,
             f"{peak * 1.048576:.0f} MB")):
        print(f"target {name}: {shown} {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
