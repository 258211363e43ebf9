"""``yipanqi audit verify``: check the hash chain of the audit log."""

from __future__ import annotations

import typer

from gateway.audit import verify_chain
from gateway.cli._app import app
from gateway.cli._node import ConfigOption, node_settings, store_engine

audit_app = typer.Typer(help="The node's audit log.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def audit_verify(config: ConfigOption = None) -> None:
    """Recompute the chain; exit 0 when every entry holds, 1 at the first that does not."""
    engine = store_engine(node_settings(config))
    try:
        with engine.connect() as connection:
            report = verify_chain(connection)
    finally:
        engine.dispose()
    if report.ok:
        typer.echo(f"audit log intact: {report.entries} entries")
        return
    typer.echo(f"audit log BROKEN at entry {report.broken_at}: {report.problem} "
               f"({report.entries} entries hold before it)", err=True)
    raise typer.Exit(1)
