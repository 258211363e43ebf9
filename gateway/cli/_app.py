"""The typer application every command module registers on."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="yipanqi",
    help="一盘棋 Yipanqi — migrant family-planning record exchange.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)


@app.callback()
def _root() -> None:
    """一盘棋 Yipanqi — migrant family-planning record exchange.

    Validate and convert message files of the record standard.
    """
