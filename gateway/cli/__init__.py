"""The ``yipanqi`` command: one typer app, one module per command group.

Only the module of the command being run is imported, so that ``yipanqi validate`` does
not pay for loading the gateway service; ``--help`` and unknown names load them all.
"""

from __future__ import annotations

import importlib
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
    """Console entry point."""
    register(sys.argv[1] if len(sys.argv) > 1 else None)
    app()


__all__ = ["COMMANDS", "app", "main", "register"]
