"""``yipanqi pending list|resolve``: the items waiting for verification (待核实) at this node,
and marking them resolved once verified."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from gateway.cli._app import app
from gateway.cli._node import ConfigOption, node_engine, node_settings
from gateway.docking import clean_note, pending_view, resolve
from gateway.errors import NotFound

pending_app = typer.Typer(help="Pending items: notices and conflicts to verify.",
                          no_args_is_help=True)
app.add_typer(pending_app, name="pending")


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


class Status(StrEnum):
    open = "open"
    all = "all"


@pending_app.command("list")
def pending_list(
    config: ConfigOption = None,
    output_format: Annotated[OutputFormat, typer.Option(
        "--format", help="text: a table; json: one JSON document.")] = OutputFormat.text,
    status: Annotated[Status, typer.Option(help="open items only, or all.")] = Status.open,
    limit: Annotated[int, typer.Option(help="At most this many items.")] = 1000,
) -> None:
    """List pending items (unknown person, possible mistyped ID number, name mismatch,
    record invalid) and version conflicts, oldest first. ID numbers are masked."""
    engine = node_engine(node_settings(config))
    try:
        with engine.connect() as connection:
            items = pending_view(connection, None if status is Status.all else "open", limit)
    finally:
        engine.dispose()
    if output_format is OutputFormat.json:
        typer.echo(json.dumps({"count": len(items), "items": items}, ensure_ascii=False,
                              indent=2))
        return
    table = Table("id", "created", "kind", "notice", "ID number", "reason 原因", "status")
    for item in items:
        shown = str(item["status"])
        if item["resolvedAt"]:
            shown += f" {str(item['resolvedAt'])[:19]}\n{item['resolution']}"
        table.add_row(str(item["id"]), str(item["created"])[:19], item["kind"],
                      item["noticeId"] or "", item["idNumber"],
                      f"{item['reasonZh']}\n{item['reasonEn']}", shown)
    console = Console(highlight=False)
    console.print(table)
    console.print(f"{len(items)} item{'' if len(items) == 1 else 's'}")


@pending_app.command("resolve")
def pending_resolve(
    items: Annotated[list[str], typer.Argument(
        metavar="ITEM...",
        help="Items as listed: a number, or C and a number for a version conflict.")],
    note: Annotated[str, typer.Option(
        "--note", help="What was verified and done (核实情况); kept with the item.")],
    config: ConfigOption = None,
) -> None:
    """Mark pending items resolved once verified: they leave the open list, the note and
    the time are kept, and the audit log records it. A record whose version conflicts are
    all resolved takes notices again. Exit 1 if an item does not exist."""
    try:
        text = clean_note(note)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--note") from None
    settings = node_settings(config)
    engine = node_engine(settings)
    missing = 0
    try:
        for item in items:
            try:
                done = resolve(engine, settings.node_id, item, text)
            except NotFound as exc:
                typer.echo(f"error 错误: {exc.message}", err=True)
                missing += 1
                continue
            if done.status == "resolved":
                typer.echo(f"resolved 已核实: {done.id}")
            else:
                typer.echo(f"already resolved 早已核实: {done.id} ({str(done.resolved_at)[:19]}: "
                           f"{done.note})")
    finally:
        engine.dispose()
    if missing:
        raise typer.Exit(1)
