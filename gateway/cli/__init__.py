"""The ``yipanqi`` command: one typer app, one module per command group."""

from __future__ import annotations

from gateway.cli._app import app


def main() -> None:
    """Console entry point."""
    # Importing a command module registers its commands on the app.
    from gateway.cli import (  # noqa: F401
        adapters,
        audit,
        convert,
        db,
        demo,
        directory,
        import_,
        keys,
        outbox,
        serve,
        sign,
        validate,
        verify,
    )

    app()


__all__ = ["app", "main"]
