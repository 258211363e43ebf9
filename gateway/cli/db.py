"""``yipanqi db``: the store's migrations."""

from __future__ import annotations

import typer

from gateway.cli._app import app
from gateway.cli._node import (
    ConfigOption,
    migrated_engine,
    node_settings,
    reached_engine,
    refuse_missing_store,
)
from gateway.store import current_revision, head_revision

db_app = typer.Typer(help="The node's store: migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade(config: ConfigOption = None) -> None:
    """Apply every migration not yet applied (idempotent)."""
    engine = migrated_engine(node_settings(config))
    try:
        typer.echo(f"store at revision {current_revision(engine)}")
    finally:
        engine.dispose()


@db_app.command("current")
def db_current(config: ConfigOption = None) -> None:
    """Show the store's revision and the newest one (a missing SQLite store is not made)."""
    settings = node_settings(config)
    refuse_missing_store(settings)
    engine, current = reached_engine(settings)
    engine.dispose()
    typer.echo(f"current {current}, head {head_revision()}")
