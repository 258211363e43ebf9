"""Importing on every core (:class:`adapters.EncodedImport`): the same results as in order.

The thresholds are lowered so that files of a few hundred kilobytes go parallel in chunks
of 4 KiB. Every result is compared with the in-order reference, :class:`adapters.ExportImport`
(its notices put through the same encoders), and with ``EncodedImport(jobs=1)``: the notices
as each output encodes them, byte for byte, every finding in order, and the summary. Which way
an import went is told by the chunks the reader cut (the ``cuts`` fixture): only an import on
every core cuts any.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pickle
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree
from typer.testing import CliRunner

import adapters._csv
import adapters._fixed
import adapters._parallel
import gateway.cli.import_  # noqa: F401  (registers the command)
from adapters import (
    Encoded,
    EncodedImport,
    ExportImport,
    ExportUnreadable,
    ImportWorkerLost,
    RowError,
    Taken,
    get_adapter,
    notice_id,
)
from adapters._chunks import Chunk, cut_chunks
from adapters._protocol import SplittableReader
from adapters.mz import MarriageRegistrationAdapter
from fixtures.departments.samples import HERE as SAMPLES
from fixtures.departments.synthetic import HEADER, row, write_export
from gateway.cli import app
from gateway.cli._notice_output import encode_json_line, encode_xml_element
from schema.issues import Severity
from schema.jsoncodec import to_json_object
from tests._damage import overwritten
from tests.adapters import _scaled
from tests.adapters._support import TODAY, Unseekable, failing_after

GB = "gb18030"
ENCODERS = (encode_json_line, encode_xml_element)
CHUNK = 4096


class Outcome(NamedTuple):
    """What an import gave: each output's bytes, the notices, the findings in order (the
    row as read too for refused rows: it goes to the rejects file), the summary."""

    payloads: tuple[bytes, ...]
    notices: int
    findings: list[tuple[Any, ...]]
    summary: dict[str, object]


def _finding(error: RowError) -> tuple[Any, ...]:
    """A finding as compared; a refused row's ``raw`` too, which goes to the rejects file
    (CSV fields, fixed-width bytes, an XML element serialised when seen: the XML reader
    clears it once the next row is read)."""
    raw = error.raw if error.severity is Severity.ERROR else None
    if isinstance(raw, etree._Element):
        raw = etree.tostring(raw, encoding="unicode", with_tail=False)
    return (error.file, error.row, error.column, error.rule, error.severity,
            error.message_zh, error.message_en, raw)


def _reference(adapter: str, data: bytes, name: str = "export",
               progress: Callable[[int], None] | None = None) -> Outcome:
    """The import in order, in this process: :class:`ExportImport`."""
    run = ExportImport(get_adapter(adapter), io.BytesIO(data), name, today=TODAY,
                       progress=progress)
    payloads = [bytearray() for _ in ENCODERS]
    notices, findings = 0, []
    for item in run:
        if isinstance(item, Taken):
            assert len(item.documents) == len(item.notices)
            for out, encode in zip(payloads, ENCODERS, strict=True):
                for notice, document in zip(item.notices, item.documents, strict=True):
                    out += encode(notice, document)
            notices += len(item.notices)
            findings += [_finding(warning) for warning in item.warnings]
        else:
            findings.append(_finding(item))
    return Outcome(tuple(map(bytes, payloads)), notices, findings, run.summary.to_json())


def _import(adapter: str, data: bytes | BinaryIO, jobs: int, name: str = "export",
            progress: Callable[[int], None] | None = None) -> Outcome:
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    run = EncodedImport(get_adapter(adapter), stream, name, ENCODERS, jobs=jobs, today=TODAY,
                        progress=progress)
    payloads = [bytearray() for _ in ENCODERS]
    notices, findings = 0, []
    for item in run:
        if isinstance(item, Encoded):
            assert len(item.payloads) == len(ENCODERS)
            for out, payload in zip(payloads, item.payloads, strict=True):
                out += payload
            notices += item.notices
            findings += [_finding(warning) for warning in item.warnings]
        else:
            findings.append(_finding(item))
    return Outcome(tuple(map(bytes, payloads)), notices, findings, run.summary.to_json())


def _assert_same(parallel: Outcome, in_order: Outcome, *, raw: bool = True) -> None:
    """Field by field, for readable failures; ``raw``: refused rows as read too."""
    assert parallel.summary == in_order.summary
    if raw:
        assert parallel.findings == in_order.findings
    else:
        assert [f[:-1] for f in parallel.findings] == [f[:-1] for f in in_order.findings]
    assert parallel.notices == in_order.notices
    for mine, theirs in zip(parallel.payloads, in_order.payloads, strict=True):
        assert mine == theirs


@pytest.fixture
def parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any file goes parallel, in 4 KiB chunks."""
    monkeypatch.setattr(adapters._parallel, "PARALLEL_FROM", 1)
    monkeypatch.setattr(adapters._parallel, "CHUNK_BYTES", CHUNK)


@pytest.fixture
def cuts(monkeypatch: pytest.MonkeyPatch) -> list[Chunk]:
    """The chunks the readers cut, in turn (``data`` None: the rest read in order)."""
    chunks: list[Chunk] = []

    def recording(*args: Any, **kwargs: Any) -> Iterator[Chunk]:
        for chunk in cut_chunks(*args, **kwargs):
            chunks.append(chunk)
            yield chunk

    monkeypatch.setattr(adapters._csv, "cut_chunks", recording)
    monkeypatch.setattr(adapters._fixed, "cut_chunks", recording)
    return chunks


def _same_on_every_core(adapter: str, data: bytes, name: str = "export",
                        jobs: tuple[int, ...] = (2, 3), *, raw: bool = True) -> Outcome:
    """The import on one process and on ``jobs`` gives what :class:`ExportImport` gives."""
    in_order = _reference(adapter, data, name)
    for count in (1, *jobs):
        _assert_same(_import(adapter, data, count, name), in_order, raw=raw)
    return in_order


# --- GA: CSV ------------------------------------------------------------------------------


def _synthetic(count: int) -> bytes:
    stream = io.BytesIO()
    write_export(stream, count)
    return stream.getvalue()


def _wrong_check(number: str) -> str:
    return number[:17] + ("1" if number[17] != "1" else "2")


def _dirty_ga(count: int, *, terminated: bool = True) -> bytes:
    """A synthetic export with, every 53 rows, rows refused for each reason, a row with a
    warning, blank lines and repeats next to the original and far from it."""
    lines = [HEADER.encode(GB)]
    for i in range(count):
        fields = row(i).split(",")
        kind = i % 53
        line: bytes | None = None
        if kind == 1:
            fields[6] = "1985-02-30"  # row.date
        elif kind == 9:
            fields[7] = "41162219850312"  # row.id-format
        elif kind == 17:
            fields[7] = "4.11624E+17"  # row.id-scientific
        elif kind == 25:
            fields = fields[:5]  # row.columns
        elif kind == 29:
            fields[5] = "同居"  # row.code
        elif kind == 31:  # dates.future twice and region.unknown: one finding for them all
            fields[12], fields[16] = "2040-01-01", "990000520100"
        elif kind == 33 and len(fields[7]) == 18 and fields[7].isascii():
            fields[7] = _wrong_check(fields[7])  # id.checksum: a warning
        elif kind == 41:
            line = ",".join(fields).encode(GB).replace(b",", b"\xff,", 1)  # row.encoding
        elif kind == 43:
            line = ",".join(fields).encode(GB).replace(b",", b"\x00,", 1)  # a NUL byte
        lines.append(line if line is not None else ",".join(fields).encode(GB))
        if kind in (2, 34, 49):  # the row before again (refused; with a warning; taken)
            lines.append(lines[-2] if kind != 49 else lines[-1])
        if kind == 45:
            lines += [b"", b",,,,,,,,,,,,,,,,,", b"   "]
        if i % 211 == 100:  # a row some forty chunks back
            lines.append(row(i - 150).encode(GB))
    data = b"\r\n".join(lines)
    return data + b"\r\n" if terminated else data


@pytest.mark.parametrize("jobs", [2, 3])
def test_a_synthetic_export(parallel: None, cuts: list[Chunk], jobs: int) -> None:
    data = _synthetic(3000)
    in_order = _same_on_every_core("ga", data, jobs=(jobs,))
    assert len(cuts) > 100 and all(chunk.data is not None for chunk in cuts)
    assert in_order.notices == 3000 and in_order.summary["rows"] == 3000
    assert in_order.summary["duplicates"] == in_order.summary["refused"] == 0


def test_the_json_lines_are_the_standards_json_form(parallel: None) -> None:
    """What workers encode is each notice in the standard's JSON form, with its
    content-derived id."""
    data = _synthetic(400)
    lines = _import("ga", data, 2).payloads[0].splitlines()
    notices = [notice for item in ExportImport(get_adapter("ga"), io.BytesIO(data), "export",
                                               today=TODAY)
               if isinstance(item, Taken) for notice in item.notices]
    assert len(lines) == len(notices) == 400
    for line, notice in zip(lines, notices, strict=True):
        assert json.loads(line) == to_json_object(notice)
        assert notice.notice_id == notice_id(notice)


@pytest.mark.parametrize("terminated", [True, False])
def test_refused_rows_warnings_repeats_blank_lines_and_bad_bytes(
        parallel: None, cuts: list[Chunk], terminated: bool) -> None:
    data = _dirty_ga(2500, terminated=terminated)
    in_order = _same_on_every_core("ga", data, "暂住人口登记信息.csv")
    assert len(cuts) > 2 * 100 and all(chunk.data is not None for chunk in cuts)
    summary = in_order.summary
    assert summary["refusedByRule"] == {
        "dates.future": 2 * 47, "region.unknown": 47, "row.code": 47, "row.columns": 47,
        "row.date": 2 * 48, "row.encoding": 2 * 47, "row.id-format": 47,
        "row.id-scientific": 47}
    # 46 rows with a warning, each repeated next to it (the repeat warning replaces it);
    # 47 taken rows repeated next to themselves; 11 rows repeated some forty chunks on.
    assert summary["warningsByRule"] == {"id.checksum": 46, "row.duplicate": 46 + 47 + 11}
    repeats = [finding[1] for finding in in_order.findings if finding[3] == "row.duplicate"]
    assert len(repeats) == 104 and repeats == sorted(repeats)


def _quoted_ga(count: int, *, two_line_at: int | None = None) -> bytes:
    """Every field quoted; addresses hold commas and quotes; one may hold a line break.
    Every 97th row has no real birth date."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(HEADER.split(","))
    for i in range(count):
        fields = row(i).split(",")
        fields[9] = fields[9].replace("镇", "镇, ", 1)
        fields[11] = fields[11].replace("号院", '号院"东区",', 1)
        if i == two_line_at:
            fields[11] = fields[11].replace("路", "路\r\n", 1)
        if i % 97 == 5:
            fields[6] = "1985-02-30"
        writer.writerow(fields)
    return out.getvalue().encode(GB)


def test_quoted_fields_are_cut_too(parallel: None, cuts: list[Chunk]) -> None:
    data = _quoted_ga(1500)
    in_order = _same_on_every_core("ga", data, jobs=(2,))
    assert len(cuts) > 50 and all(chunk.data is not None for chunk in cuts)
    assert in_order.notices == 1500 - 16
    assert in_order.payloads[0].count('号院\\"东区\\",'.encode()) == in_order.notices


def test_a_field_over_two_lines_leaves_the_rest_to_read_in_order(
        parallel: None, cuts: list[Chunk]) -> None:
    """Chunks are cut up to the two-line field, the rest is read in order; rows after it
    keep their file line numbers (one more than without it)."""
    data = _quoted_ga(1500, two_line_at=800)
    in_order = _same_on_every_core("ga", data, jobs=(2,))
    *cut, rest = cuts
    assert rest.data is None and len(cut) > 20 and all(c.data is not None for c in cut)
    assert rest.first_line <= 2 + 800 < rest.first_line + 30
    last = json.loads(in_order.payloads[0].splitlines()[-1])
    assert last["source"]["row"] == 1 + 1500 + 1
    refused = [finding[1] for finding in in_order.findings if finding[3] == "row.date"]
    assert refused[-1] == 2 + 1460 + 1  # i = 1460 is the last with i % 97 == 5


def test_a_small_file_is_read_in_order(monkeypatch: pytest.MonkeyPatch,
                                       cuts: list[Chunk]) -> None:
    data = _dirty_ga(300)
    monkeypatch.setattr(adapters._parallel, "CHUNK_BYTES", CHUNK)
    monkeypatch.setattr(adapters._parallel, "PARALLEL_FROM", len(data) + 1)
    in_order = _reference("ga", data)
    _assert_same(_import("ga", data, 2), in_order)
    assert cuts == []
    monkeypatch.setattr(adapters._parallel, "PARALLEL_FROM", len(data))
    _assert_same(_import("ga", data, 2), in_order)
    assert cuts


def test_a_stream_that_cannot_seek_is_read_in_order(parallel: None,
                                                    cuts: list[Chunk]) -> None:
    data = _dirty_ga(500)
    stream = io.BufferedReader(Unseekable(data))
    assert not stream.seekable()
    _assert_same(_import("ga", stream, 2), _reference("ga", data))
    assert cuts == []


def test_the_rejects_file_is_the_same(parallel: None, cuts: list[Chunk]) -> None:
    """Refused rows carry the row as read to the rejects file, whichever process read it."""
    data = _dirty_ga(600)

    def rejects(jobs: int) -> bytes:
        run = EncodedImport(get_adapter("ga"), io.BytesIO(data), "x.csv", ENCODERS,
                            jobs=jobs, today=TODAY)
        out = io.BytesIO()
        writer = run.reader.rejects(out)
        for item in run:
            if isinstance(item, RowError) and item.severity is Severity.ERROR:
                writer.write(item.raw, f"第{item.row}行 {item.rule}")
        writer.close()
        return out.getvalue()

    in_order = rejects(1)
    assert rejects(2) == in_order and cuts
    assert in_order.count(b"\r\n") == 1 + 6 * 11 + 2 * 12 + 12  # header, refused rows


@pytest.mark.parametrize("data", [b"", b"\x00PK\x03\x04" * 100, HEADER.encode(GB)[:40]],
                         ids=["empty", "binary", "no-header"])
def test_an_unreadable_file_is_reported_alike(parallel: None, data: bytes) -> None:
    outcome = _same_on_every_core("ga", data, jobs=(2,))
    assert outcome.summary["unreadable"] is not None and outcome.notices == 0


@pytest.mark.parametrize("after_header", [b"", b"\r\n,,,,\r\n" * 200],
                         ids=["header-only", "blank-lines"])
def test_a_header_without_rows_is_reported_alike(parallel: None,
                                                 after_header: bytes) -> None:
    data = HEADER.encode(GB) + b"\r\n" + after_header
    outcome = _same_on_every_core("ga", data, jobs=(2,))
    assert outcome.findings[0][3] == "file.no-rows"


# --- RS: fixed width ----------------------------------------------------------------------

_RS_SAMPLE = SAMPLES / "rs" / "就业登记.txt"
_EMPLOYER = slice(18 + 20 + 1 + 8 + 6, 18 + 20 + 1 + 8 + 6 + 60)


def _rs_export(count: int) -> bytes:
    """Records made from the sample's first, each with its own employer; every 41st
    record broken, repeated or followed by a blank line; every 97th an earlier record."""
    template = _RS_SAMPLE.read_bytes().split(b"\r\n")[0]
    assert len(template) == 163
    lines: list[bytes] = []
    for i in range(count):
        record = bytearray(template)
        record[_EMPLOYER] = f"郑州市中原区第{i}家政服务部".encode(GB).ljust(60)
        kind = i % 41
        if kind == 3:
            record = record[:120]  # row.columns
        elif kind == 7:
            record[_EMPLOYER] = b"A" + ("某" * 29).encode(GB) + b"\xc4"  # row.encoding
        elif kind == 11:
            record[39:47] = b"19850230"  # row.date
        elif kind == 13:
            record[17:18] = b"0"  # id.checksum: a warning
        elif kind == 17:
            record += "|第2行 row.date：旧的拒收原因".encode(GB)  # a corrected rejects line
        lines.append(bytes(record))
        if kind in (13, 19):
            lines.append(lines[-1])
        if kind == 23:
            lines.append(b"")
        if i % 97 == 50:
            lines.append(lines[len(lines) // 3])
    return b"\r\n".join(lines) + b"\r\n"


def test_the_fixed_width_export(parallel: None, cuts: list[Chunk]) -> None:
    reader = get_adapter("rs").open(io.BytesIO(b""), "x.txt")
    assert isinstance(reader, SplittableReader)
    data = _rs_export(2000)
    in_order = _same_on_every_core("rs", data, "就业登记.txt")
    assert len(cuts) > 2 * 50 and all(chunk.data is not None for chunk in cuts)
    refused, warnings = in_order.summary["refusedByRule"], in_order.summary["warningsByRule"]
    assert isinstance(refused, dict) and isinstance(warnings, dict)
    assert set(refused) == {"row.columns", "row.encoding", "row.date"}
    assert set(warnings) == {"id.checksum", "row.duplicate"}


def test_a_first_chunk_of_blank_lines_is_no_error() -> None:
    """A worker reading such a chunk must not raise: the import would hang (see
    :func:`test_an_error_in_a_worker_can_reach_the_parent`). Checked on the reader alone."""
    data = b"\r\n" * 40 + _RS_SAMPLE.read_bytes()
    reader = get_adapter("rs").open(io.BytesIO(data), "x.txt")
    assert isinstance(reader, SplittableReader)
    first = next(iter(reader.chunks(64)))
    assert first.data is not None and not first.data.strip()
    assert list(reader.resume(first.first_line, io.BytesIO(first.data)).rows()) == []


def test_an_error_in_a_worker_can_reach_the_parent() -> None:
    error = ExportUnreadable("file.empty", "文件为空", "the file is empty", row=1)
    again = pickle.loads(pickle.dumps(error))
    assert (again.rule, again.row, again.message_en) == ("file.empty", 1, "the file is empty")


# --- MZ: XML ------------------------------------------------------------------------------


_MZ_SAMPLE = SAMPLES / "mz" / "婚姻登记数据.xml"


@pytest.fixture
def row_batches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The batches of rows this process sent to the workers (their sizes), in turn."""
    sizes: list[int] = []
    submit = ProcessPoolExecutor.submit

    def recording(self: Any, fn: Any, *args: Any, **kwargs: Any) -> Any:
        if fn is adapters._parallel._work_rows:
            sizes.append(len(args[0]))
        return submit(self, fn, *args, **kwargs)

    monkeypatch.setattr(ProcessPoolExecutor, "submit", recording)
    return sizes


def _mz(turns: int, *, middle: bytes = b"", end: bytes | None = None) -> bytes:
    """The sample's records ``turns`` times over (refused rows and repeats among them), with
    ``middle`` after the first half, and ``end`` instead of the root's end tag."""
    sample = _scaled.cut(get_adapter("mz"), _MZ_SAMPLE.read_bytes())
    records = b"".join(sample.records)
    half = turns // 2
    return (sample.head + records * half + middle + records * (turns - half)
            + (sample.tail if end is None else end))


def test_xml_is_read_here_and_made_into_notices_on_every_core(
        parallel: None, row_batches: list[int]) -> None:
    data = _mz(400)
    assert not isinstance(get_adapter("mz").open(io.BytesIO(data), "x.xml"), SplittableReader)
    in_order = _same_on_every_core("mz", data, _MZ_SAMPLE.name, jobs=(2, 3))
    assert in_order.notices > 0 and in_order.summary["refused"] == 800
    rows, duplicates = in_order.summary["rows"], in_order.summary["duplicates"]
    assert isinstance(rows, int) and isinstance(duplicates, int) and duplicates > 0
    assert len(row_batches) == 2 * -(-rows // 1024)  # jobs 2, then 3


_RECORD = "登记记录".encode(GB)


@pytest.mark.parametrize(("middle", "end", "rule"), [
    pytest.param(b"  <\xe5\x9d\x8f", None, "file.malformed", id="malformed-part-way"),
    pytest.param(b"", b"", "file.malformed", id="root-never-closed"),
    pytest.param(b"<" + _RECORD + b"><x/></" + _RECORD + b"><wrap><" + _RECORD + b"/></wrap>",
                 None, "row.columns", id="odd-and-misplaced-records"),
    pytest.param(b"<" + _RECORD + b"><x/></" + _RECORD + b"> text after a record ",
                 None, "row.missing", id="text-after-a-refused-record"),
])
def test_xml_that_goes_wrong_part_way_is_reported_alike(
        parallel: None, row_batches: list[int], middle: bytes, end: bytes | None,
        rule: str) -> None:
    """Every row before the fault is taken, on one core and on every core, then the same
    findings."""
    in_order = _same_on_every_core("mz", _mz(300, middle=middle, end=end), "x.xml",
                                   jobs=(2,))
    assert in_order.notices > 0 and row_batches
    assert rule in {finding[3] for finding in in_order.findings}
    if rule == "file.malformed":
        assert in_order.findings[-1][3] == rule and in_order.summary["unreadable"]


@pytest.mark.parametrize("data", [
    b"", b"\x00PK" * 3000, b'<?xml version="1.0"?>\n<other>' + b"<x/>" * 3000 + b"</other>",
    b'<?xml version="1.0" encoding="GB18030"?>\n<\xbb\xe9\xd2\xf6\xb5\xc7\xbc\xc7\xca\xfd\xbe\xdd>'
    + b" " * 20000 + b"</\xbb\xe9\xd2\xf6\xb5\xc7\xbc\xc7\xca\xfd\xbe\xdd>",
], ids=["empty", "binary", "wrong-root", "no-records"])
def test_an_unreadable_xml_file_is_reported_alike(parallel: None, data: bytes) -> None:
    in_order = _same_on_every_core("mz", data, "x.xml", jobs=(2,))
    assert in_order.summary["unreadable"] is not None


@pytest.mark.parametrize("jobs", [1, 2])
def test_xml_refused_rows_keep_their_record(parallel: None, jobs: int) -> None:
    data = _MZ_SAMPLE.read_bytes()
    in_order = _reference("mz", data, _MZ_SAMPLE.name)
    refused = [finding[-1] for finding in in_order.findings if finding[-1] is not None]
    assert len(refused) == 2 and all("身份证件号" in record for record in refused)
    _assert_same(_import("mz", data, jobs, _MZ_SAMPLE.name), in_order)

@pytest.mark.parametrize("jobs", [1, 2])
def test_xml_records_on_one_line_are_counted_one_by_one(jobs: int) -> None:
    """A machine-written XML file on a single line: every record starts on line 1."""
    data = _MZ_SAMPLE.read_bytes().replace(b"\n", b"")
    in_order = _reference("mz", data, _MZ_SAMPLE.name)
    assert in_order.summary["rows"] == 7
    _assert_same(_import("mz", data, jobs, _MZ_SAMPLE.name), in_order, raw=False)

# --- progress -----------------------------------------------------------------------------


@pytest.mark.parametrize("export", [
    pytest.param(lambda: _dirty_ga(2000), id="cut-throughout"),
    pytest.param(lambda: _quoted_ga(2000, two_line_at=1000), id="rest-in-order"),
])
def test_progress_ends_at_the_file_size(parallel: None, cuts: list[Chunk],
                                        export: Callable[[], bytes]) -> None:
    """The contract, in order and on every core: bytes done, never going back, the last
    report the file size, however the file was cut."""
    data = export()
    in_order: list[int] = []
    _reference("ga", data, progress=in_order.append)
    assert in_order and in_order[-1] == len(data) and in_order == sorted(in_order)
    seen: list[int] = []
    _assert_same(_import("ga", data, 2, progress=seen.append), _reference("ga", data))
    assert cuts
    assert seen and seen[-1] == len(data) and seen == sorted(seen)


# --- the command --------------------------------------------------------------------------


def _command(export: Path, adapter: str, jobs: int, *args: str) -> tuple[int, bytes, bytes, str]:
    """``yipanqi import`` of ``export`` on ``jobs`` processes: the exit code, the notices
    file, the rejects file and what was printed (the rejects file's name left out)."""
    out = export.with_name(f"{jobs}.out")
    rejects = export.with_name(f"{jobs}.rejects{export.suffix}")
    result = CliRunner().invoke(app, ["import", str(export), "--adapter", adapter, *args,
                                      "-o", str(out), "--rejects", str(rejects),
                                      "-j", str(jobs)])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    return (result.exit_code, out.read_bytes(), rejects.read_bytes(),
            result.stderr.replace(str(rejects), "REJECTS"))


@pytest.mark.parametrize("to", ["json", "xml"])
def test_the_command_writes_the_same_files_on_every_core(
        parallel: None, cuts: list[Chunk], tmp_path: Path, to: str) -> None:
    export = tmp_path / "暂住人口登记信息.csv"
    export.write_bytes(_dirty_ga(1500))

    def run(jobs: int) -> tuple[int, bytes, bytes, str]:
        return _command(export, "ga", jobs, "--to", to)

    in_order = run(1)
    assert cuts == []
    assert run(2) == in_order
    assert len(cuts) > 50
    exit_code, _, rejected, stderr = in_order
    assert exit_code == 1 and "warning row.duplicate" in stderr and "id.checksum" in stderr
    assert rejected.count(b"\r\n") > 100


def test_the_command_writes_the_same_xml_rejects_on_every_core(
        parallel: None, row_batches: list[int], tmp_path: Path) -> None:
    export = tmp_path / "婚姻登记数据.xml"
    # a refused record followed by text too: the text is not part of it
    export.write_bytes(_mz(300, middle=b"<" + _RECORD + b"><x/></" + _RECORD + b"> text "))

    in_order = _command(export, "mz", 1)
    assert row_batches == []
    assert _command(export, "mz", 2) == in_order
    assert row_batches
    exit_code, _, rejected, _ = in_order
    assert exit_code == 1 and rejected.count("<拒收原因>".encode("gb18030")) == 601
    assert b" text " not in rejected
    etree.fromstring(rejected)


# --- a worker that dies ---------------------------------------------------------------------


def test_a_worker_that_dies_is_an_error_not_a_hang(parallel: None,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker killed mid-import (the out-of-memory killer, say) fails the import with
    ``ImportWorkerLost`` instead of leaving it waiting for the chunk forever. An alarm
    turns a hang into a failure."""
    encode_rows = adapters._parallel._encode_rows

    def dying(rows: Any, *args: Any, **kwargs: Any) -> Any:
        # Runs in a forked worker, which inherits the patched module.
        if os.getpid() != parent:
            os._exit(9)
        return encode_rows(rows, *args, **kwargs)

    parent = os.getpid()
    monkeypatch.setattr(adapters._parallel, "_encode_rows", dying)
    data = io.BytesIO()
    write_export(data, 2000)
    previous = signal.signal(signal.SIGALRM, _hung)
    signal.alarm(60)
    try:
        with pytest.raises(ImportWorkerLost, match="ended abruptly"):
            _import("ga", data.getvalue(), 2)
        with pytest.raises(ImportWorkerLost, match="ended abruptly"):
            _import("mz", _mz(300), 2)  # rows sent from here
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _hung(signum: int, frame: object) -> None:
    raise AssertionError("the import hung after its worker died")


# --- Damaged at random --------------------------------------------------------------------


#: Quotes, line ends, commas, bytes no encoding reads, a character's first half, markup.
_PIECES = [b'"', b'"', b"\r\n", b"\n", b"\r", b",", b"\xff", b"\x00", b"\xd6", b"<", b"&",
           b""]


_DAMAGED_BASE = {"ga": _dirty_ga(300), "rs": _rs_export(300),
                 "mz": (SAMPLES / "mz" / "婚姻登记数据.xml").read_bytes()}


@pytest.mark.parametrize("adapter", sorted(_DAMAGED_BASE))
def test_a_damaged_export_gives_on_every_core_what_it_gives_in_order(
        monkeypatch: pytest.MonkeyPatch, adapter: str) -> None:
    """Stray quotes and line ends at chunk boundaries or inside records, bytes that do not
    decode, broken XML: the workers' chunks (XML: rows read here, made on every core), put
    back together, give the in-order import's notices, findings and summary."""
    monkeypatch.setattr(adapters._parallel, "PARALLEL_FROM", 1)
    monkeypatch.setattr(adapters._parallel, "CHUNK_BYTES", 2048)

    @settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(overwritten(_DAMAGED_BASE[adapter], _PIECES, 6))
    def check(data: bytes) -> None:
        _assert_same(_import(adapter, data, 2), _reference(adapter, data))

    check()


class _FailingXml(MarriageRegistrationAdapter):
    """The civil-affairs adapter whose reader fails, as a third-party one may, after 700
    records."""

    name = "failing-xml"

    def open(self, stream: BinaryIO, file: str) -> Any:
        return failing_after(super().open(stream, file), 700, KeyError("broken"))


def test_a_reader_failing_on_every_core_keeps_the_rows_before_as_in_order(
        parallel: None, row_batches: list[int]) -> None:
    data = _mz(300)
    counts = []
    for jobs in (1, 2):
        run = EncodedImport(_FailingXml(), io.BytesIO(data), "x.xml", ENCODERS, jobs=jobs,
                            today=TODAY)
        findings = [item.rule for item in run if isinstance(item, RowError)]
        assert findings[-1] == "file.adapter-failed"
        counts.append((run.summary.rows, run.summary.notices))
    assert counts[0] == counts[1] and counts[0][0] == 700 and row_batches
