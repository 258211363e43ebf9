"""``yipanqi validate``: check message files against the standard."""

from __future__ import annotations

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from gateway.cli._app import app
from gateway.cli._input import seekable
from gateway.cli._progress import file_progress
from schema.validation import FileResult, ValidationOptions, validate_path


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


def _print_text(result: FileResult, console: Console) -> None:
    for issue in [*result.errors, *result.warnings]:
        line = issue.line if issue.line is not None else "?"
        where = f" [{issue.path}]" if issue.path else ""
        console.print(f"{result.file}:{line}: {issue.severity.value} {issue.rule}: "
                      f"{issue.message}{where}", markup=False)
    if result.dropped:
        console.print(f"{result.file}: … {result.dropped} more findings not shown",
                      markup=False, highlight=False)
    verdict = "[green]valid[/green]" if result.valid else "[red]invalid[/red]"
    kind = " ".join(filter(None, [result.document_type,
                                  f"v{result.schema_version}" if result.schema_version else None,
                                  result.format]))
    errors = len(result.errors) + result.dropped_errors
    warnings = len(result.warnings) + result.dropped - result.dropped_errors
    console.print(f"{result.file}: {verdict} ({kind or 'unknown'}; "
                  f"{errors} errors, {warnings} warnings)")


@app.command()
def validate(
    paths: Annotated[list[Path], typer.Argument(
        help="Message files (XML or JSON); - reads standard input.", show_default=False,
        metavar="PATH")],
    output_format: Annotated[OutputFormat, typer.Option(
        "--format", help="text: one line per finding; json: a list with one object per file.",
    )] = OutputFormat.text,
    strict: Annotated[bool, typer.Option(
        "--strict", help="Treat warnings as errors.")] = False,
) -> None:
    """Validate message files: format, document type, version, schema and logic rules.

    Exit status: 0 when every file is valid (warnings allowed), 1 when any file is
    invalid or unreadable, 2 on a usage error.
    """
    options = ValidationOptions(strict=strict)
    console = Console(highlight=False, soft_wrap=True)
    err_console = Console(stderr=True, soft_wrap=True)
    results = []
    for path in paths:
        size = os.path.getsize(path) if path.is_file() else 0
        with file_progress(err_console, f"validating {path.name}", size) as progress, \
                seekable(path) as readable:
            result = validate_path(readable, options, progress)
        result.file = "<stdin>" if str(path) == "-" else str(path)
        results.append(result)
        if output_format is OutputFormat.text:
            _print_text(result, console)
    if output_format is OutputFormat.json:
        sys.stdout.write(json.dumps([r.to_json() for r in results], ensure_ascii=False,
                                    indent=2) + "\n")
    raise typer.Exit(0 if all(r.valid for r in results) else 1)
