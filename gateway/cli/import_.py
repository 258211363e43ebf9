"""``yipanqi import``: a department export → department notices, refused rows → rejects.

The file is streamed: each row is read, turned into notices, written (and submitted) and
dropped, so memory stays flat however long the file. Findings and the summary go to
standard error; notices go to ``-o OUT`` or, without it, to standard output.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Protocol
from urllib.parse import urlsplit

import typer
from rich.console import Console

from adapters import (
    Adapter,
    AdapterNotFound,
    Encoded,
    EncodedImport,
    Encoder,
    ImportSummary,
    ImportWorkerLost,
    RowError,
    get_adapter,
    readable_name,
)
from adapters import RejectsWriter as RowRejects
from gateway.cli._app import app
from gateway.cli._notice_output import (
    JsonLinesWriter,
    SubmitFailed,
    Submitter,
    XmlNoticesWriter,
)
from gateway.cli._output import output_file
from gateway.cli._progress import file_progress

#: Findings printed one by one; the rest are counted (and all are in the rejects file).
MAX_PRINTED = 1000


class NoticeFormat(StrEnum):
    xml = "xml"
    json = "json"


class _Sink(Protocol):
    @property
    def encode(self) -> Encoder: ...

    def write(self, payload: bytes) -> None: ...

    def close(self) -> None: ...


def _adapter(name: str) -> Adapter:
    try:
        return get_adapter(name)
    except AdapterNotFound as exc:
        raise typer.BadParameter(exc.message, param_hint="--adapter") from None


def default_rejects(path: Path) -> Path:
    """``export.csv`` → ``export.rejects.csv`` beside it."""
    return path.with_name(f"{path.stem}.rejects{path.suffix}")


class _Findings:
    """Prints findings (up to :data:`MAX_PRINTED`) and writes refused rows to the rejects
    file, opened at the first one."""

    def __init__(self, run: EncodedImport, rejects_path: Path, err: Console,
                 stack: ExitStack) -> None:
        self.run = run
        self.rejects_path = rejects_path
        self.err = err
        self.stack = stack
        self.printed = 0
        self.rejects: RowRejects | None = None

    def report(self, finding: RowError) -> None:
        if self.printed < MAX_PRINTED:
            where = f" [{finding.column}]" if finding.column else ""
            row = finding.row if finding.row is not None else "?"
            self.err.print(f"{finding.file}:{row}: {finding.severity.value} {finding.rule}: "
                           f"{finding.message}{where}", markup=False, soft_wrap=True)
        self.printed += 1

    def refuse(self, finding: RowError) -> None:
        self.report(finding)
        if finding.raw is None:
            return
        if self.rejects is None:
            stream = self.stack.enter_context(output_file(self.rejects_path))
            self.rejects = self.run.reader.rejects(stream)
            self.stack.callback(self.rejects.close)
        reason = f"第{finding.row}行 {finding.rule}：{finding.message_zh}"
        self.rejects.write(finding.raw, reason)


@contextmanager
def _sinks(output: Path | None, to: NoticeFormat, submit: str | None,
           token: str | None) -> Iterator[list[_Sink]]:
    with ExitStack() as stack:
        sinks: list[_Sink] = []
        stream = stack.enter_context(output_file(output))
        if output is not None or submit is None:
            sinks.append(XmlNoticesWriter(stream) if to is NoticeFormat.xml
                         else JsonLinesWriter(stream))
        if submit is not None:
            sinks.append(Submitter(submit, token=token))
        try:
            yield sinks
        finally:
            for sink in sinks:
                sink.close()


def _print_summary(summary: ImportSummary, rejects: Path | None, err: Console) -> None:
    err.print(f"{summary.file}: rows read 读取 {summary.rows}, notices made 生成通报 "
              f"{summary.notices}, repeats skipped 重复跳过 {summary.duplicates}, "
              f"rows refused 拒收 {summary.refused}", markup=False, soft_wrap=True)
    for rule, count in sorted(summary.refused_by_rule.items()):
        err.print(f"  refused 拒收 {rule}: {count}", markup=False)
    for rule, count in sorted(summary.warnings_by_rule.items()):
        err.print(f"  warning 警告 {rule}: {count}", markup=False)
    if rejects is not None:
        err.print(f"  rejects 拒收文件: {readable_name(str(rejects))}", markup=False,
                  soft_wrap=True)


@app.command("import")
def import_export(
    path: Annotated[Path, typer.Argument(help="The department's export file.",
                                         show_default=False)],
    adapter_name: Annotated[str, typer.Option(
        "--adapter", help="Adapter name (see `yipanqi adapters`).", show_default=False)],
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="Write the notices here (default: standard output).")] = None,
    rejects: Annotated[Path | None, typer.Option(
        "--rejects", help="Refused rows go here (default: FILE.rejects.EXT beside it).",
    )] = None,
    to: Annotated[NoticeFormat, typer.Option(
        "--to", help="json: JSON Lines, one notice a line; xml: one notices element holding them.",
    )] = NoticeFormat.json,
    submit: Annotated[str | None, typer.Option(
        "--submit", help="Also POST the notices to this gateway (URL/api/v1/notices).",
        show_default=False)] = None,
    token: Annotated[str | None, typer.Option(
        "--token", envvar="YIPANQI_OPERATOR_TOKEN", show_default=False,
        help="The gateway's operator token, for --submit [env YIPANQI_OPERATOR_TOKEN].",
    )] = None,
    jobs: Annotated[int, typer.Option(
        "--jobs", "-j", min=0, show_default=False,
        help="Processes for a large CSV or fixed-width file (default: one per core; "
             "1: read it in this process only).")] = 0,
) -> None:
    """Turn a department export into department notices (部门通报).

    Every refused row is reported with file, row, column and rule id, and written to the
    rejects file in the input's own format with a reason column, to be corrected and loaded
    again. Exit status: 0 when every row was taken, 1 when any row was refused, the file
    could not be read or the gateway could not take the notices, 2 on a usage error.
    """
    adapter = _adapter(adapter_name)
    if submit is not None:
        _check_gateway_url(submit)
        _check_token(token)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    rejects_path = rejects or default_rejects(path)
    _check_apart(path, output, rejects_path)
    try:
        summary, wrote_rejects = _run(adapter, path, rejects_path, output, to,
                                      (submit, token), jobs, err)
    except SubmitFailed as exc:  # before OSError: it is a ConnectionError
        err.print(f"{path}: {exc.message}. Loading the file again is safe: notice ids come "
                  "from content.", markup=False)
        raise typer.Exit(1) from None
    except BrokenPipeError:  # the reader went away: main() ends quietly
        raise
    except OSError as exc:
        what = exc.filename or path
        err.print(f"{what}: cannot read or write: {exc.strerror or exc}", markup=False)
        raise typer.Exit(1) from None
    except ImportWorkerLost as exc:
        err.print(f"{path}: {exc}", markup=False)
        raise typer.Exit(1) from None
    _print_summary(summary, rejects_path if wrote_rejects else None, err)
    if not wrote_rejects and rejects_path.exists():
        err.print(f"  note 注意: {rejects_path} is from an earlier run (this one refused no "
                  "row) 为此前导入的拒收文件", markup=False, soft_wrap=True)
    raise typer.Exit(0 if summary.complete else 1)


def _same_file(one: Path, other: Path) -> bool:
    try:
        return one.samefile(other)
    except OSError:  # one of them does not exist (yet): not the same file
        return one.resolve() == other.resolve()


def _check_apart(path: Path, output: Path | None, rejects: Path) -> None:
    """A usage error, before anything is opened, when an output would overwrite the export
    (or the notices and the refused rows would share a file)."""
    if output is not None and _same_file(output, path):
        raise typer.BadParameter(f"{output} is the export itself: writing the notices there "
                                 "would destroy it", param_hint="-o")
    if _same_file(rejects, path):
        raise typer.BadParameter(f"{rejects} is the export itself: writing the refused rows "
                                 "there would destroy it", param_hint="--rejects")
    if output is not None and _same_file(output, rejects):
        raise typer.BadParameter(f"{output} is also the rejects file: give each its own",
                                 param_hint="-o / --rejects")
    for target, hint in ((output, "-o"), (rejects, "--rejects")):
        if target is None:
            continue
        if target.is_dir():
            raise typer.BadParameter(f"{target} is a directory: give a file", param_hint=hint)
        if not target.parent.is_dir():
            raise typer.BadParameter(f"{target.parent} does not exist (or is not a directory)",
                                     param_hint=hint)


def _check_gateway_url(url: str) -> None:
    """A usage error, before any row is read, for what is not a gateway's base URL."""
    try:
        parsed = urlsplit(url)
        usable = parsed.scheme in ("http", "https") and bool(parsed.hostname)
        _ = parsed.port  # a port that is no number raises here
    except ValueError:
        usable = False
    if not usable:
        raise typer.BadParameter(f"{url!r} is not a gateway URL: give http(s)://HOST[:PORT]",
                                 param_hint="--submit")


def _check_token(token: str | None) -> None:
    """A bearer token travels in an HTTP header: printable ASCII only."""
    if token is not None and not (token.isascii() and token.isprintable() and token):
        raise typer.BadParameter("the operator token must be printable ASCII (as the "
                                 "gateway's settings hold it)", param_hint="--token")


def _run(adapter: Adapter, path: Path, rejects_path: Path, output: Path | None,
         to: NoticeFormat, submit: tuple[str | None, str | None], jobs: int,
         err: Console) -> tuple[ImportSummary, bool]:
    size = path.stat().st_size
    with ExitStack() as stack:
        # The rejects file is closed, and so kept, only after the notices' outputs closed
        # well: a failure at their end (the gateway gone) leaves the earlier files whole.
        rejects_stack = stack.enter_context(ExitStack())
        stream = stack.enter_context(open(path, "rb"))
        sinks = stack.enter_context(_sinks(output, to, *submit))
        progress = stack.enter_context(file_progress(err, f"importing {path.name}", size))
        run = EncodedImport(adapter, stream, readable_name(str(path)),
                            [sink.encode for sink in sinks],
                            jobs=jobs or None, progress=progress)
        findings = _Findings(run, rejects_path, err, rejects_stack)
        for item in run:
            if isinstance(item, Encoded):
                for sink, payload in zip(sinks, item.payloads, strict=True):
                    if payload:
                        sink.write(payload)
                for warning in item.warnings:
                    findings.report(warning)
            elif item.severity.value == "error":
                findings.refuse(item)
        if findings.printed > MAX_PRINTED:
            err.print(f"… {findings.printed - MAX_PRINTED} more findings not shown",
                      markup=False)
        return run.summary, findings.rejects is not None
