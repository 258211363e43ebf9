"""``yipanqi convert``: between XML and JSON, and between versions 1 and 2."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from gateway.cli._app import app
from schema.convert import convert as convert_document
from schema.errors import ConversionLoss, DocumentError
from schema.jsoncodec import dumps_json, loads_json
from schema.validation._sniff import sniff
from schema.xmlcodec import dumps_xml, loads_xml
from schema.xmlsafe import MAX_DOCUMENT_BYTES


class TargetFormat(StrEnum):
    xml = "xml"
    json = "json"


class TargetVersion(StrEnum):
    v1 = "1"
    v2 = "2"


@app.command()
def convert(
    path: Annotated[Path, typer.Argument(help="An XML or JSON document of the standard.",
                                         exists=True, dir_okay=False, show_default=False)],
    to: Annotated[TargetFormat, typer.Option("--to", help="Output format.",
                                             show_default=False)],
    schema_version: Annotated[TargetVersion | None, typer.Option(
        "--schema-version", help="Output version (default: the input's).")] = None,
    allow_loss: Annotated[bool, typer.Option(
        "--allow-loss", help="Down-convert even when version 1 cannot hold some fields.",
    )] = False,
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="Write here instead of standard output.")] = None,
) -> None:
    """Convert a document between XML and JSON and between schema versions.

    Exit status: 0 on success, 1 when the input is not a valid document or the
    conversion would lose data without --allow-loss, 2 on a usage error.
    """
    err = Console(stderr=True, highlight=False)
    data = path.read_bytes() if path.stat().st_size <= MAX_DOCUMENT_BYTES else b""
    if not data:
        err.print(f"{path}: larger than {MAX_DOCUMENT_BYTES} bytes or empty; "
                  "split the batch first", markup=False)
        raise typer.Exit(1)
    try:
        document = loads_xml(data) if sniff(data[:4096]) == "xml" else loads_json(data)
        result = convert_document(document, schema_version.value, allow_loss=allow_loss) \
            if schema_version else None
    except ConversionLoss as exc:
        err.print(f"{path}: version 1 cannot hold: " + ", ".join(exc.lost)
                  + " (use --allow-loss to convert anyway)", markup=False)
        raise typer.Exit(1) from None
    except DocumentError as exc:
        err.print(f"{path}: not a valid document: {exc.message}", markup=False)
        for issue in exc.issues[:20]:
            err.print(f"  {issue.path or '-'}: {issue.message_en}", markup=False)
        raise typer.Exit(1) from None
    if result is not None:
        document = result.document
        for lost in result.lost:
            err.print(f"{path}: lost in version 1: {lost}", markup=False)
    content = dumps_xml(document) if to is TargetFormat.xml else dumps_json(document) + b"\n"
    if output is None:
        sys.stdout.buffer.write(content)
    else:
        output.write_bytes(content)
