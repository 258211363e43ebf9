"""``yipanqi outbox list|resend``: what waits, what was given up, and retry by hand."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from gateway.cli._app import app
from gateway.cli._node import ConfigOption, node_settings, store_engine
from gateway.outbox import counts, held_destinations, list_entries, resend
from gateway.store import LARGEST_ID

outbox_app = typer.Typer(help="The node's outbox: list and resend.", no_args_is_help=True)
app.add_typer(outbox_app, name="outbox")



class EntryStatus(StrEnum):
    pending = "pending"
    sending = "sending"
    delivered = "delivered"
    rejected = "rejected"
    dead = "dead"

def _when(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%H:%M:%S")


@outbox_app.command("list")
def outbox_list(
    config: ConfigOption = None,
    status: Annotated[EntryStatus | None, typer.Option(
        help="Entries in this status only.", show_default=False)] = None,
    limit: Annotated[int, typer.Option(help="At most this many entries.", min=1,
                                       max=1_000_000)] = 100,
) -> None:
    """List outbox entries (oldest first), the count per status, and the partners that cannot
    be reached (their entries wait, without using up attempts, until one gets through)."""
    engine = store_engine(node_settings(config))
    try:
        rows = list_entries(engine, status.value if status else None, limit)
        per_status = counts(engine)
        held = held_destinations(engine)
    finally:
        engine.dispose()
    # tries: attempts the partner answered; tries that could not reach it do not count.
    table = Table("id", "messageId", "to", "type", "status", "tries", "next", "last error")
    for row in rows:
        table.add_row(str(row.id), row.message_id, row.destination, row.message_type,
                      row.status, str(row.attempts), _when(row.next_attempt_at),
                      (row.last_error or "")[:60])
    console = Console(highlight=False)
    console.print(table)
    console.print(", ".join(f"{k}: {v}" for k, v in sorted(per_status.items())) or "empty")
    for partner in held:
        console.print(f"held 暂停投递: {partner.destination} unreachable since {partner.since[:19]}"
                      f" ({partner.failures} passes failed), next try {_when(partner.held_until)}"
                      f": {partner.last_error[:80]}")


@outbox_app.command("resend")
def outbox_resend(
    ids: Annotated[list[int] | None, typer.Argument(
        help="Outbox ids to resend.", min=1, max=LARGEST_ID)] = None,
    config: ConfigOption = None,
    all_dead: Annotated[bool, typer.Option("--all-dead", help="Resend every dead letter.")]
    = False,
) -> None:
    """Make dead-lettered (or rejected) entries due again; the running node delivers them.

    Exit status: 0 when every id given was made due, 1 when some name no dead or rejected
    entry, 2 on a usage error.
    """
    if not ids and not all_dead:
        raise typer.BadParameter("give outbox ids or --all-dead")
    settings = node_settings(config)
    engine = store_engine(settings)
    try:
        count = resend(engine, settings.node_id, ids or [], all_dead)
    finally:
        engine.dispose()
    typer.echo(f"{count} entr{'y' if count == 1 else 'ies'} due again")
    if ids and not all_dead and count < len(set(ids)):
        typer.echo(f"{len(set(ids)) - count} of the ids given name no dead or rejected entry "
                   "(see `yipanqi outbox list --status dead`)", err=True)
        raise typer.Exit(1)
