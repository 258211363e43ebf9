"""The ``yipanqi`` command: one typer app, one module per command group.

Only the module of the command being run is imported, so that ``yipanqi validate`` does
not pay for loading the gateway service; ``--help`` and unknown names load them all.
"""

from __future__ import annotations

import errno
import importlib
import os
import sys

from gateway.cli._app import app

#: Each command (or group) by the module that registers it.
COMMANDS = {
    "adapters": "adapters",
    "audit": "audit",
    "convert": "convert",
    "db": "db",
    "demo": "demo",
    "directory": "directory",
    "import": "import_",
    "keys": "keys",
    "open": "verify",
    "outbox": "outbox",
    "pending": "pending",
    "serve": "serve",
    "sign": "sign",
    "validate": "validate",
    "verify": "verify",
}


def register(command: str | None = None) -> None:
    """Import the module of ``command``, or of every command when it is not one of ours."""
    modules = [COMMANDS[command]] if command in COMMANDS else sorted(set(COMMANDS.values()))
    for module in modules:
        importlib.import_module(f"gateway.cli.{module}")


def main() -> None:
    """Console entry point.

    What no command handles itself ends here as one line, never a traceback: a file that
    cannot be read or written (exit 1). A reader that went away (``| head``) ends it
    quietly with exit 1, as click does for the commands.
    """
    register(sys.argv[1] if len(sys.argv) > 1 else None)
    try:
        try:
            app()
        finally:
            _flush_stdout()
    except BrokenPipeError:
        # Python flushes stdout again at exit: point it somewhere that takes the bytes.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except OSError as exc:
        where = "" if exc.filename is None else f"{exc.filename}: "
        if exc.filename is None and exc.errno in _WRITE_ERRNOS:
            where = "cannot write the output: "  # printing to a full disk or a dead device
        if exc.errno == errno.ENAMETOOLONG:
            where = f"{where[:60]}…: "
        sys.stderr.write(f"yipanqi: {where}{exc.strerror or exc}\n")
        sys.exit(1)


_WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})


def _flush_stdout() -> None:
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise type(exc)(exc.errno, exc.strerror, "<stdout>") from None


__all__ = ["COMMANDS", "app", "main", "register"]
