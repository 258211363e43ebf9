"""The memory of a running process and its descendants, sampled from ``/proc``.

``ru_maxrss`` will not do for a command started from a large process: Linux records the
high-water mark of the address space that ``exec`` replaces, so a child of a 150 MiB test
runner reports at least 150 MiB. The proportional set size (PSS) counts a page shared by
several processes (forked workers and their parent) once in all, so the tree's total PSS is
what the command really holds.
"""

from __future__ import annotations

import os
import threading
from types import TracebackType


def tree(pid: int) -> list[int]:
    """The process and its descendants, as far as they are still running."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    queue.extend(int(child) for child in handle.read().split())
        except OSError:
            continue
    return found


def _rollup_kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in KiB; zeros once it has gone."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


class TreeMemory:
    """Samples a process tree every ``interval`` seconds while in the ``with`` block:
    ``peak_pss_kib`` is the largest total PSS seen, ``peak_rss_kib`` the largest RSS of one
    process."""

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_pss_kib = 0
        self.peak_rss_kib = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self._done.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._done.wait(self.interval):
            sizes = [_rollup_kib(pid) for pid in tree(self.pid)]
            self.peak_pss_kib = max(self.peak_pss_kib, sum(pss for _, pss in sizes))
            self.peak_rss_kib = max([self.peak_rss_kib, *(rss for rss, _ in sizes)])
