"""``yipanqi pending list``: the items waiting for verification (待核实) at this node."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from gateway.cli._app import app
from gateway.cli._node import ConfigOption, node_engine, node_settings
from gateway.docking import pending_view

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
        table.add_row(str(item["id"]), str(item["created"])[:19], item["kind"],
                      item["noticeId"] or "", item["idNumber"],
                      f"{item['reasonZh']}\n{item['reasonEn']}", item["status"])
    console = Console(highlight=False)
    console.print(table)
    console.print(f"{len(items)} item{'' if len(items) == 1 else 's'}")
