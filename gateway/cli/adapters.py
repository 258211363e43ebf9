"""``yipanqi adapters``: the installed department adapters."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from adapters import adapters as installed_adapters
from gateway.cli._app import app


class ListFormat(StrEnum):
    text = "text"
    json = "json"


@app.command("adapters")
def list_adapters(
    output_format: Annotated[ListFormat, typer.Option(
        "--format", help="text: a table; json: a list with one object per adapter.",
    )] = ListFormat.text,
) -> None:
    """List the installed department adapters (entry-point group yipanqi.adapters).

    A third-party adapter that cannot be loaded is reported as a warning and left out.
    """
    found = installed_adapters()
    if output_format is ListFormat.json:
        rows = [{"name": name, "department": a.department.value, "title_zh": a.title_zh,
                 "title_en": a.title_en, "suffix": a.suffix} for name, a in found.items()]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table("name", "department", "export", "file", box=None, pad_edge=False)
    for name, adapter in found.items():
        department = adapter.department
        table.add_row(name, f"{department.value} {department.label_zh}",
                      f"{adapter.title_zh} / {adapter.title_en}", adapter.suffix)
    Console(highlight=False, soft_wrap=True).print(table)
