"""``yipanqi convert``: between XML and JSON, and between versions 1 and 2."""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from gateway.cli._app import app
from gateway.cli._output import output_file
from gateway.cli._progress import file_progress
from schema.batchreader import BatchStream, read_json_batch, read_xml_batch
from schema.batchwriter import write_json_batch, write_xml_batch
from schema.codes import SchemaVersion
from schema.convert import convert as convert_document
from schema.errors import ConversionLoss, DocumentError, MalformedDocument
from schema.jsoncodec import dumps_json, loads_json
from schema.models._base import StandardModel
from schema.sniff import sniff
from schema.xmlcodec import dumps_xml, loads_xml

#: Batches larger than this are converted report by report, in constant memory.
STREAM_ABOVE_BYTES = 8 * 1024 * 1024


class TargetFormat(StrEnum):
    xml = "xml"
    json = "json"


class TargetVersion(StrEnum):
    v1 = "1"
    v2 = "2"


def _fail(err: Console, message: str, error: DocumentError | None = None) -> typer.Exit:
    err.print(message, markup=False)
    for issue in (error.issues if error else ())[:20]:
        err.print(f"  {issue.path or '-'}: {issue.message_en}", markup=False)
    return typer.Exit(1)


def _print_lost(err: Console, path: Path, lost: list[str], shown: int = 20) -> None:
    for field in lost[:shown]:
        err.print(f"{path}: lost in version 1: {field}", markup=False)
    if len(lost) > shown:
        err.print(f"{path}: … and {len(lost) - shown} more fields lost", markup=False)


def _convert_whole(data: bytes, to: TargetFormat, version: str | None, allow_loss: bool,
                   err: Console, name: str) -> bytes:
    kind = sniff(data[:4096])
    if kind is None:
        raise MalformedDocument("the file is neither XML nor JSON")
    document = loads_xml(data) if kind == "xml" else loads_json(data)
    if version is not None:
        result = convert_document(document, version, allow_loss=allow_loss)
        document = result.document
        _print_lost(err, Path(name), list(result.lost))
    return dumps_xml(document) if to is TargetFormat.xml else dumps_json(document) + b"\n"


def _converted_reports(batch: BatchStream, version: str | None, allow_loss: bool,
                       lost: list[str]) -> Iterator[StandardModel]:
    for index, report in enumerate(batch.reports):
        if version is None:
            yield report
            continue
        try:
            result = convert_document(report, version, allow_loss=allow_loss)
        except ConversionLoss as exc:
            raise ConversionLoss([f"reports[{index}].{p}" for p in exc.lost]) from None
        lost.extend(f"reports[{index}].{p}" for p in result.lost)
        yield result.document


def _convert_stream(path: Path, output: Path, to: TargetFormat, version: str | None,
                    allow_loss: bool, err: Console) -> list[str]:
    """Convert a large batch report by report; the output appears only when complete."""
    lost: list[str] = []
    with path.open("rb") as source, file_progress(err, f"converting {path.name}",
                                                  path.stat().st_size) as progress:
        head = source.read(4096)
        source.seek(0)
        batch = read_xml_batch(source) if sniff(head) == "xml" else read_json_batch(source)
        target = SchemaVersion(version) if version else batch.doc_type.version
        reports = _converted_reports(batch, version, allow_loss, lost)
        with output_file(output) as out:
            writer = write_xml_batch if to is TargetFormat.xml else write_json_batch
            writer(out, target, batch.header, _reporting(reports, source, progress))
    return lost


def _reporting(reports: Iterator[StandardModel], source: object,
               progress: object) -> Iterator[StandardModel]:
    for count, report in enumerate(reports):
        if progress is not None and count % 1000 == 0:
            progress(source.tell())  # type: ignore[attr-defined, operator]
        yield report


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

    The input must pass the schema of its version (logic rules are `validate`'s job).
    Batches larger than 8 MiB are converted report by report (give -o for them); the
    output file appears only once the whole batch has converted. Exit status: 0 on
    success, 1 when the input is unreadable or breaks the schema, or the conversion would
    lose data without --allow-loss; 2 on a usage error.
    """
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    version = schema_version.value if schema_version else None
    try:
        if path.stat().st_size > STREAM_ABOVE_BYTES:
            if output is None:
                raise typer.BadParameter(f"{path} is a batch over 8 MiB: give -o OUT",
                                         param_hint="-o")
            _print_lost(err, path, _convert_stream(path, output, to, version, allow_loss, err))
            return
        content = _convert_whole(path.read_bytes(), to, version, allow_loss, err, str(path))
        with output_file(output) as out:
            out.write(content)
    except BrokenPipeError:  # the reader went away: main() ends quietly
        raise
    except OSError as exc:
        raise _fail(err, f"{exc.filename or path}: cannot read or write: "
                         f"{exc.strerror or exc}") from None
    except ConversionLoss as exc:
        raise _fail(err, f"{path}: version 1 cannot hold: " + ", ".join(exc.lost[:20])
                    + " (use --allow-loss to convert anyway)") from None
    except DocumentError as exc:
        raise _fail(err, f"{path}: not a valid document: {exc.message}", exc) from None
