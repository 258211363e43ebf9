"""Where commands read their input: a file, or standard input and pipes made one."""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def seekable(path: Path) -> Iterator[Path]:
    """The file itself, or, for standard input (``-``) or a pipe (``/dev/stdin``), its
    bytes spooled to a temporary file: validating and signing read a file more than once.
    A directory or a missing file is given as it is, for the caller to say so."""
    if str(path) != "-" and (path.is_file() or path.is_dir() or not path.exists()):
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="yipanqi-input-") as directory:
        spooled = Path(directory) / "input"
        with spooled.open("wb") as out:
            if str(path) == "-":
                shutil.copyfileobj(sys.stdin.buffer, out)
            else:
                with path.open("rb") as source:
                    shutil.copyfileobj(source, out)
        yield spooled
