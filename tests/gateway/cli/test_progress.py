"""The progress bar appears only on a terminal, and only for files worth it."""

from __future__ import annotations

import io

from rich.console import Console

from gateway.cli._progress import MIN_BYTES_FOR_BAR, file_progress


def _console(terminal: bool) -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=terminal, width=100), out


def test_a_bar_on_a_terminal_for_a_large_file():
    console, out = _console(terminal=True)
    with file_progress(console, "validating batch.xml", MIN_BYTES_FOR_BAR * 2) as progress:
        assert progress is not None
        progress(MIN_BYTES_FOR_BAR)
        progress(MIN_BYTES_FOR_BAR * 2)
    assert "validating batch.xml" in out.getvalue()


def test_no_bar_for_a_small_file_or_a_pipe():
    for terminal, size in ((True, MIN_BYTES_FOR_BAR - 1), (False, MIN_BYTES_FOR_BAR * 10)):
        console, out = _console(terminal)
        with file_progress(console, "x", size) as progress:
            assert progress is None
        assert out.getvalue() == ""
