"""One conformance run over every registered adapter.

Each adapter's sample under ``fixtures/departments/<name>/`` gives exactly the notices and
findings of its ``expected.json``; every notice is valid against the published XSD and JSON
Schema; the rejects file, corrected, loads again; and junk — an empty file, a header alone,
binary garbage, the wrong encoding, a truncated file — gives located findings, never a
traceback; and ``yipanqi import`` of the sample repeated to 1,000,000 rows peaks at about
the memory of a small file.
"""

from __future__ import annotations

import codecs
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from lxml import etree

from adapters import Adapter, ExportImport, RowError, Taken, adapters
from adapters._parallel import PARALLEL_FROM
from benchmarks.treememory import TreeMemory
from fixtures.departments import expected
from fixtures.departments.records import (
    ASKED_FOR_RECORDS,
    RECORDS,
    asked_for_json,
    records_json,
)
from fixtures.departments.samples import HERE, SAMPLES
from schema.artefacts import json_schema, xml_schema
from schema.codes import SchemaVersion
from schema.jsoncodec import to_json_object
from schema.xmlcodec import to_element
from tests.adapters import _scaled

NAMES = sorted(adapters())
SAMPLE_OF = {name.split("/")[0]: name for name in SAMPLES}
GARBAGE = b"PK\x03\x04\x14\x00\x08\x00" + bytes(range(256)) * 8 + b"\x00\xff\xfe" * 50


def test_every_registered_adapter_has_a_sample() -> None:
    assert set(NAMES) == set(SAMPLE_OF)


def test_samples_are_what_samples_py_writes() -> None:
    stale = [str(p) for p, content in __import__(
        "fixtures.departments.samples", fromlist=["files"]).files().items()
        if p.read_bytes() != content]
    assert not stale, f"run `python fixtures/departments/samples.py`: {stale}"


def test_the_records_are_what_records_py_writes() -> None:
    assert RECORDS.read_bytes() == records_json(), "run `python fixtures/departments/records.py`"
    assert ASKED_FOR_RECORDS.read_bytes() == asked_for_json(), \
        "run `python fixtures/departments/records.py`"


@pytest.mark.parametrize("name", NAMES)
def test_sample_gives_the_expected_notices_and_findings(name: str) -> None:
    path = (HERE / SAMPLE_OF[name]).parent / "expected.json"
    committed = json.loads(path.read_text(encoding="utf-8"))
    assert expected.outcome(SAMPLE_OF[name]) == committed, (
        "run `python fixtures/departments/expected.py` and review the diff")
    assert committed["notices"] and committed["findings"]


@pytest.mark.parametrize("name", NAMES)
def test_every_notice_is_valid_against_the_published_schemas(name: str) -> None:
    validator = jsonschema.Draft202012Validator(json_schema(SchemaVersion.V2),
                                                format_checker=jsonschema.FormatChecker())
    for notice in _taken(name, (HERE / SAMPLE_OF[name]).read_bytes()):
        validator.validate(to_json_object(notice))
        xml_schema(SchemaVersion.V2).assertValid(to_element(notice))


def _taken(name: str, data: bytes) -> list[Any]:
    return [n for item in ExportImport(adapters()[name], io.BytesIO(data), "x")
            if isinstance(item, Taken) for n in item.notices]


def _findings(adapter: Adapter, data: bytes) -> tuple[list[RowError], Any]:
    job = ExportImport(adapter, io.BytesIO(data), "junk")
    found = []
    for item in job:
        if isinstance(item, RowError):
            found.append(item)
        else:
            found.extend(item.warnings)
    return found, job.summary


def _first_line(data: bytes) -> bytes:
    for line in data.splitlines(keepends=True):
        if line.strip() and not line.startswith("郑州市公安局".encode("gb18030")):
            return line
    return b""


def _wrong_encoding(data: bytes) -> bytes:
    """The same text in the other encoding, BOM and declaration unchanged."""
    if data.startswith(codecs.BOM_UTF8):
        return codecs.BOM_UTF8 + data[3:].decode().encode("gb18030")
    text = data.decode("gb18030")
    return text.encode("utf-8")


def _truncated(data: bytes) -> bytes:
    cut = data.rstrip()
    return cut[: cut.rfind(b"\n") + (len(cut) - cut.rfind(b"\n")) // 2]


JUNK = {
    "empty": lambda data: b"",
    "header-only": _first_line,
    "binary-garbage": lambda data: GARBAGE,
    "wrong-encoding": _wrong_encoding,
    "truncated": _truncated,
}


@pytest.mark.parametrize("junk", sorted(JUNK))
@pytest.mark.parametrize("name", NAMES)
def test_junk_gives_located_findings_never_a_traceback(name: str, junk: str) -> None:
    adapter = adapters()[name]
    data = JUNK[junk]((HERE / SAMPLE_OF[name]).read_bytes())
    found, summary = _findings(adapter, data)
    errors = [f for f in found if f.severity.value == "error"]
    if junk == "header-only" and adapter.suffix == ".txt":
        return  # a fixed-width file has no header: its first line is a record
    assert errors and not summary.complete, (junk, found)
    for error in errors:
        assert error.file == "junk" and error.rule and error.message_zh and error.message_en
        assert error.row is not None and error.row >= 1, error
        assert error.rule.startswith(("file.", "row.")) or error.rule in _rule_ids()


def _rule_ids() -> set[str]:
    from schema.rules import RULES

    return set(RULES)


@pytest.mark.parametrize("name", NAMES)
def test_rejects_corrected_load_again(name: str, tmp_path: Path) -> None:
    """Refused rows go to the rejects file in the input's own format; reloading it refuses
    each again (a truncated row, padded to full width, now for its blank fields) and takes
    nothing, so a clerk can fix the rows and load the file again."""
    adapter = adapters()[name]
    data = (HERE / SAMPLE_OF[name]).read_bytes()
    job = ExportImport(adapter, io.BytesIO(data), "sample")
    out = io.BytesIO()
    writer = None
    refused = []
    for item in job:
        if isinstance(item, RowError) and item.raw is not None:
            writer = writer or job.reader.rejects(out)
            writer.write(item.raw, f"第{item.row}行 {item.rule}")
            refused.append(item.rule)
    assert writer is not None
    writer.close()
    again, summary = _findings(adapter, out.getvalue())
    rules = sorted(e.rule for e in again if e.severity.value == "error")
    assert len(rules) == len(refused) and summary.refused == len(refused)
    assert set(refused) - {"row.columns"} <= set(rules)
    assert summary.notices == 0 and summary.unreadable is None
    if adapter.suffix == ".xml":
        etree.fromstring(out.getvalue())  # well-formed


#: The long file.
BIG_ROWS = 1_000_000
#: The small file the long one is measured against.
SMALL_ROWS = 10_000
#: What the long file may add to the peak: bounded caches, and the repeat table's 16 bytes
#: a distinct notice (few here: the sample's rows repeat).
MARGIN_KIB = 24 * 1024
CEILING_KIB = 150 * 1024


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_memory_stays_flat_on_a_million_rows(name: str, tmp_path: Path) -> None:
    """``yipanqi import`` of the sample's records repeated to 1,000,000 rows (title lines,
    header or XML root once; the sample's own encoding) peaks within 24 MiB of a small file
    and under 150 MiB (the total PSS of the command and its workers, sampled from /proc:
    ``ru_maxrss`` would report the test runner's own size, which the child's ``exec``
    inherits as its high-water mark), exits 0 or 1 and prints no traceback. Most rows are
    ``row.duplicate`` skips or refusals: nothing of a row may outlive it in the reader,
    runner and writers.

    The small file is 10,000 rows, unless 10,000 rows are not imported on every core (a
    file of :data:`~adapters._parallel.PARALLEL_FROM` bytes or more is): the forked workers
    and the work in flight cost some 10-25 MiB however long the file, so the long file is
    then measured against one just big enough (twice ``PARALLEL_FROM``) to go on every core
    too. The 10,000-row file is run all the same.
    """
    adapter = adapters()[name]
    data = (HERE / SAMPLE_OF[name]).read_bytes()
    sample = _scaled.cut(adapter, data)
    sizes = [SMALL_ROWS]
    split = _scaled.rows_filling(sample, 2 * PARALLEL_FROM)
    if split > SMALL_ROWS:
        sizes.append(split)
    big = BIG_ROWS
    sizes.append(big)
    peaks = {rows: _import_peak_kib(name, sample, rows, tmp_path) for rows in sizes}
    mib = {rows: f"{kib / 1024:.1f} MiB" for rows, kib in peaks.items()}
    assert peaks[big] <= peaks[sizes[-2]] + MARGIN_KIB, mib
    assert max(peaks.values()) < CEILING_KIB, mib


def _import_peak_kib(name: str, sample: _scaled.Scalable, rows: int, tmp_path: Path) -> int:
    """Peak total PSS in KiB of ``yipanqi import`` of ``rows`` records of ``sample``; the
    export and its rejects are deleted after (together some 300 MB for 1,000,000 rows)."""
    export = tmp_path / f"{rows}{adapters()[name].suffix}"
    rejects, stderr_path = tmp_path / f"{rows}.rejects", tmp_path / f"{rows}.stderr"
    try:
        _scaled.write(export, sample, rows)
        with open(stderr_path, "wb") as stderr:
            process = subprocess.Popen(
                [sys.executable, "-c", "from gateway.cli import main; main()", "import",
                 str(export), "--adapter", name, "-o", os.devnull, "--rejects", str(rejects)],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr)
            with TreeMemory(process.pid) as memory:
                try:
                    process.wait(timeout=600)
                except subprocess.TimeoutExpired:
                    process.kill()
                    raise
        text = stderr_path.read_text(encoding="utf-8", errors="replace")
        assert process.returncode in (0, 1) and "Traceback" not in text, text[-3000:]
        assert f"rows read 读取 {rows}," in text, text[-3000:]
        return memory.peak_pss_kib
    finally:
        export.unlink(missing_ok=True)
        rejects.unlink(missing_ok=True)
