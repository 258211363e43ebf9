"""Where commands write their results: whole or not at all, and errors that name the file.

A regular file (or a new one) is written under a temporary name beside it, synced, and
renamed over it only when the command succeeds, so a failure, a full disk or Ctrl-C leaves
what was there; it keeps an existing file's mode (a new one gets what the umask allows), and
a symbolic link is followed: the file it names is replaced, the link stays. A device, pipe
or socket (``/dev/null``, a named pipe), and anything under ``/dev`` or ``/proc``
(``/dev/stdout`` is the shell's redirection, whatever it points to), is written directly:
renaming over it would replace it.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, cast

#: The target's name as kept in the temporary one: names may have 255 bytes, and
#: ``.NAME.XXXXXXXX.part`` adds 15.
_NAME_KEPT = 80


class NamedOutput:
    """A binary stream whose write errors name the file they were writing."""

    def __init__(self, stream: BinaryIO, name: str) -> None:
        self.stream = stream
        self.name = name

    def write(self, data: bytes | bytearray | memoryview) -> int:
        try:
            return self.stream.write(data)
        except OSError as exc:
            raise _named(exc, self.name) from None

    def flush(self) -> None:
        try:
            self.stream.flush()
        except OSError as exc:
            raise _named(exc, self.name) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def _named_stream(stream: BinaryIO, name: str) -> BinaryIO:
    return cast(BinaryIO, NamedOutput(stream, name))


def _named(exc: OSError, name: str) -> OSError:
    if exc.filename is not None:
        return exc
    return type(exc)(exc.errno, exc.strerror or str(exc), name)


def _is_special(path: Path) -> bool:
    if path.is_absolute() and path.parts[1:2] in (("dev",), ("proc",)):
        return True
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


def _mode_for(target: Path) -> int:
    """An existing file's permissions, else what a new file gets under the umask."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextmanager
def output_file(path: Path | None) -> Iterator[BinaryIO]:
    """Write to ``path`` whole or not at all, or to stdout when ``path`` is None.

    Every :class:`OSError` names ``path`` (not the temporary file).
    """
    if path is None:
        stdout = _named_stream(sys.stdout.buffer, "<stdout>")
        yield stdout
        stdout.flush()
        return
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "Is a directory: give a file", str(path))
    if _is_special(path):
        with _opened(path) as special:
            out = _named_stream(special, str(path))
            yield out
            out.flush()
        return
    target = path.resolve()  # through a symbolic link: its file is replaced, beside it
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part",
                                             prefix=f".{target.name[:_NAME_KEPT]}.")
    except OSError as exc:
        raise type(exc)(exc.errno, exc.strerror, str(path)) from None
    try:
        with _closing(os.fdopen(handle, "wb"), str(path)) as raw:
            out = _named_stream(raw, str(path))
            yield out
            out.flush()
            os.fsync(raw.fileno())  # whole on disk before it takes the name
        try:
            os.chmod(temporary, _mode_for(target))
            os.replace(temporary, target)
        except OSError as exc:
            raise type(exc)(exc.errno, exc.strerror, str(path)) from None
    except BaseException:
        os.unlink(temporary)
        raise


@contextmanager
def _opened(path: Path) -> Iterator[BinaryIO]:
    try:
        stream = open(path, "wb")  # noqa: SIM115 - closed by _closing, its errors named
    except OSError as exc:
        raise _named(exc, str(path)) from None
    with _closing(stream, str(path)) as opened:
        yield opened


@contextmanager
def _closing(stream: BinaryIO, name: str) -> Iterator[BinaryIO]:
    """Close ``stream`` however the block ends; closing flushes, and its error names the
    file too."""
    try:
        yield stream
    finally:
        try:
            stream.close()
        except OSError as exc:
            raise _named(exc, name) from None
