"""A progress bar for long file work, shown only on a terminal and only when it helps."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

#: Files smaller than this finish before a bar would be worth drawing.
MIN_BYTES_FOR_BAR = 4 * 1024 * 1024


@contextmanager
def file_progress(console: Console, description: str,
                  total: int) -> Iterator[Callable[[int], None] | None]:
    """Yield a callback taking bytes done, or None when no bar is shown."""
    if not console.is_terminal or total < MIN_BYTES_FOR_BAR:
        yield None
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                  TransferSpeedColumn(), TimeRemainingColumn(), console=console,
                  transient=True) as progress:
        task = progress.add_task(description, total=total)
        yield lambda done: progress.update(task, completed=done)


@contextmanager
def count_progress(console: Console, description: str, total: int,
                   step: int) -> Iterator[Callable[[int], None] | None]:
    """Yield a callback taking items done, or None when the work is one ``step`` or less."""
    if not console.is_terminal or total <= step:
        yield None
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=console, transient=True) as progress:
        task = progress.add_task(description, total=total)
        yield lambda done: progress.update(task, completed=done)
