"""Validation speed and memory, against xmllint in the same run.

    python benchmarks/validate.py [--reports 100000] [--memory-reports 1000000]

Builds a v2 ChangeReportBatch of ``--reports`` reports in XML and JSON, then times
``yipanqi validate`` (schema and every rule) on each, and
``xmllint --noout --stream --schema schema/xsd/v2.xsd`` on the same XML file. Prints wall
time, reports per second, peak memory (largest resident set of the command and its
workers) and the ratio to xmllint. With ``--memory-reports`` it also validates a batch that
large to show memory does not grow with the batch.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.batchgen import write_batch  # noqa: E402

XSD = ROOT / "schema" / "xsd" / "v2.xsd"


def run(command: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak resident MiB and exit status of a command and its children."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.wait()
    return elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def yipanqi() -> list[str]:
    found = shutil.which("yipanqi")
    if found is None:
        sys.exit("yipanqi is not installed: pip install -e .")
    return [found, "validate"]


def measure(label: str, command: list[str], reports: int) -> float:
    best = None
    for _ in range(3):
        elapsed, peak, status = run(command)
        if status != 0:
            sys.exit(f"{label}: exit status {status}")
        if best is None or elapsed < best[0]:
            best = (elapsed, peak)
    assert best is not None
    print(f"{label:<38} {best[0]:7.2f} s {reports / best[0]:10,.0f} reports/s "
          f"{best[1]:7.0f} MiB")
    return best[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--memory-reports", type=int, default=0)
    args = parser.parse_args()
    if shutil.which("xmllint") is None:
        sys.exit("xmllint is missing: apt-get install libxml2-utils")
    with tempfile.TemporaryDirectory() as work:
        xml, json_ = Path(work, "batch.xml"), Path(work, "batch.json")
        write_batch(xml, args.reports, "xml")
        write_batch(json_, args.reports, "json")
        print(f"{args.reports:,}-report v2 batch: XML {xml.stat().st_size / 2**20:.0f} MiB, "
              f"JSON {json_.stat().st_size / 2**20:.0f} MiB; {os.cpu_count()} cores; "
              "best of 3 runs")
        reference = measure("xmllint --stream --schema (XML)",
                            ["xmllint", "--noout", "--stream", "--schema", str(XSD), str(xml)],
                            args.reports)
        ours = measure("yipanqi validate (XML)", [*yipanqi(), str(xml)], args.reports)
        json_time = measure("yipanqi validate (JSON)", [*yipanqi(), str(json_)], args.reports)
        print(f"ratio yipanqi/xmllint on XML: {ours / reference:.2f} (target ≤ 2.0)")
        print(f"JSON: {args.reports / json_time:,.0f} reports/s (target ≥ 40,000)")
        if args.memory_reports:
            big = Path(work, "big.xml")
            write_batch(big, args.memory_reports, "xml")
            elapsed, peak, status = run([*yipanqi(), str(big)])
            print(f"{args.memory_reports:,}-report XML batch "
                  f"({big.stat().st_size / 2**20:,.0f} MiB): {elapsed:.1f} s, peak {peak:.0f} MiB "
                  f"(target < 150), exit {status}")
            big.unlink()
            write_batch(big, args.memory_reports, "json")
            elapsed, peak, status = run([*yipanqi(), str(big)])
            print(f"{args.memory_reports:,}-report JSON batch: {elapsed:.1f} s, "
                  f"peak {peak:.0f} MiB (target < 150), exit {status}")


if __name__ == "__main__":
    main()
