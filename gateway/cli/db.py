"""``yipanqi db``: the store's migrations."""

from __future__ import annotations

import typer

from gateway.cli._app import app
from gateway.cli._node import ConfigOption, node_engine, node_settings
from gateway.store import current_revision, head_revision, upgrade

db_app = typer.Typer(help="The node's store: migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade(config: ConfigOption = None) -> None:
    """Apply every migration not yet applied (idempotent)."""
    engine = node_engine(node_settings(config))
    upgrade(engine)
    typer.echo(f"store at revision {current_revision(engine)}")


@db_app.command("current")
def db_current(config: ConfigOption = None) -> None:
    """Show the store's revision and the newest one."""
    engine = node_engine(node_settings(config))
    typer.echo(f"current {current_revision(engine)}, head {head_revision()}")
