"""``yipanqi verify`` and ``yipanqi open``: check an envelope; take out its document."""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from rich.console import Console

from gateway.cli._app import app
from gateway.cli._envelopes import (
    RootKeyOption,
    key_source,
    usage_error,
)
from gateway.cli._output import output_file
from gateway.envelope import VerifiedEnvelope, verify_file
from schema.errors import YipanqiError

DirectoryOption = Annotated[Path | None, typer.Option(
    "--directory", show_default=False, help="Signed trust directory (checks key and route).")]
PublicKeyOption = Annotated[Path | None, typer.Option(
    "--public-key", show_default=False, help="Trust this one public key (signature only).")]


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


def _report(result: VerifiedEnvelope | None, error: YipanqiError | None) -> dict[str, Any]:
    """One JSON-ready object; header fields only when verified."""
    report: dict[str, Any] = {
        "valid": error is None,
        "reason": error.code if error else None,
        "message": error.message if error else None,
    }
    if result is None:
        return report
    report.update(result.header.to_wire())
    report.update(format=result.format.value, kid=result.kid, alg=result.algorithm.value)
    return report


def _print(report: dict[str, Any], envelope: Path, output_format: OutputFormat) -> None:
    if output_format is OutputFormat.json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False) + "\n")
        return
    console = Console(highlight=False, soft_wrap=True)
    if not report["valid"]:
        console.print(f"{envelope}: [red]refused[/red] {report['reason']}: ", end="")
        console.print(report["message"], markup=False)
        return
    console.print(f"{envelope}: [green]valid[/green] {report['messageType']} "
                  f"v{report['schemaVersion']} {report['sender']} → {report['recipient']} "
                  f"messageId {report['messageId']} createdAt {report['createdAt']} "
                  f"key {report['kid']} ({report['alg']})", markup=True)


def _verify(envelope: Path, directory: Path | None, public_key: Path | None,
            root_key: Path | None, sink: IO[bytes] | None) -> dict[str, Any]:
    if not envelope.is_file():  # a missing file is a usage error, not a refusal
        usage_error(f"no envelope file {envelope}")
    try:
        keys = key_source(directory, public_key, root_key)
        return _report(verify_file(envelope, keys, sink), None)
    except YipanqiError as exc:
        return _report(None, exc)


@app.command()
def verify(
    envelope: Annotated[Path, typer.Argument(help="An XML or JSON envelope.",
                                             show_default=False)],
    directory: DirectoryOption = None,
    public_key: PublicKeyOption = None,
    root_key: RootKeyOption = None,
    output_format: Annotated[OutputFormat, typer.Option(
        "--format", help="text, or json: one object (valid, reason, header fields, kid).",
    )] = OutputFormat.text,
) -> None:
    """Verify an envelope's signature and, with --directory, its key and route.

    Exit status: 0 valid; 1 refused, with a reason code (signature-invalid,
    signature-missing, algorithm-refused, signature-wrapping, key-unknown, key-expired, key-revoked,
    key-not-sender, not-permitted, malformed, ...); 2 on a usage error.
    """
    report = _verify(envelope, directory, public_key, root_key, None)
    _print(report, envelope, output_format)
    raise typer.Exit(0 if report["valid"] else 1)


@app.command("open")
def open_envelope(
    envelope: Annotated[Path, typer.Argument(help="An XML or JSON envelope.",
                                             show_default=False)],
    directory: DirectoryOption = None,
    public_key: PublicKeyOption = None,
    root_key: RootKeyOption = None,
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", show_default=False, help="Document file [default: stdout].")] = None,
) -> None:
    """Verify an envelope like `verify`, then write its document — only if verified.

    The document written is the signed, canonical content; on any refusal nothing is
    written. Exit status as for `verify`.
    """
    with tempfile.TemporaryFile() as staged:
        report = _verify(envelope, directory, public_key, root_key, staged)
        if not report["valid"]:
            _print(report, envelope, OutputFormat.text)
            raise typer.Exit(1)
        staged.seek(0)
        try:
            with output_file(output) as out:
                shutil.copyfileobj(staged, out)
        except BrokenPipeError:  # the reader went away: main() ends quietly
            raise
        except OSError as exc:
            usage_error(f"cannot write {output}: {exc.strerror}")
    if output is not None:
        Console(stderr=True, highlight=False, soft_wrap=True).print(
            f"[green]opened[/green] {report['messageType']} from {report['sender']} → {output}")
