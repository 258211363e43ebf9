"""One conformance run over every registered adapter.

Each adapter's sample under ``fixtures/departments/<name>/`` gives exactly the notices and
findings of its ``expected.json``; every notice is valid against the published XSD and JSON
Schema; the rejects file, corrected, loads again; and junk — an empty file, a header alone,
binary garbage, the wrong encoding, a truncated file — gives located findings, never a
traceback.
"""

from __future__ import annotations

import codecs
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from lxml import etree

from adapters import Adapter, ExportImport, RowError, Taken, adapters
from fixtures.departments import expected
from fixtures.departments.samples import HERE, SAMPLES
from schema.artefacts import json_schema, xml_schema
from schema.codes import SchemaVersion
from schema.jsoncodec import to_json_object
from schema.xmlcodec import to_element

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
