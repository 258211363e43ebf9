"""The ``yipanqi`` command: one typer app, one module per command group."""

from __future__ import annotations

from gateway.cli._app import app


def main() -> None:
    """Console entry point."""
    from gateway.cli import convert, directory, keys, sign, validate, verify  # noqa: F401  (registers the commands)

    app()


__all__ = ["app", "main"]
