"""Batches of many reports for the validation tests, written as real monthly files are."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from fixtures._invalid import edit
from fixtures._people import UNIT, id_number, inflow_report, wang_xiuying
from schema.batchwriter import write_json_batch, write_xml_batch
from schema.codes import SchemaVersion
from schema.convert import convert
from schema.issues import Issue
from schema.models import v2
from schema.models._base import StandardModel
from schema.validation import FileResult

Breaker = Callable[[v2.ChangeReport], v2.ChangeReport]
_BASE = inflow_report(wang_xiuying(), "R0")


def wrong_sex(report: v2.ChangeReport) -> v2.ChangeReport:
    """id.sex (an error) on the record's ID number."""
    return edit(report, {"idNumber": id_number("411622", dt.date(1985, 3, 12), 451)})


def wrong_checksum(report: v2.ChangeReport) -> v2.ChangeReport:
    """id.checksum (a warning) on the record's ID number."""
    return edit(report, {"idNumber": "411622198503124528"})


def too_long_remarks(report: v2.ChangeReport) -> v2.ChangeReport:
    """Remarks of 501 characters: breaks the schema (XSD maxLength / the model)."""
    return report.model_copy(update={"remarks": "核" * 501})


def reports(count: int, broken: Mapping[int, Breaker] | None = None) -> list[v2.ChangeReport]:
    """``count`` valid reports, those at the indices of ``broken`` edited by its breakers."""
    out = []
    for index in range(count):
        report = _BASE.model_copy(update={"report_id": f"R410102-201004-{index:04d}"})
        breaker = (broken or {}).get(index)
        out.append(breaker(report) if breaker else report)
    return out


def header(count: int) -> v2.BatchHeader:
    """The April 2010 header (the same model in both versions)."""
    return v2.BatchHeader(batch_id="B410102-2010-04", period="2010-04", reporting_unit=UNIT,
                          report_count=count)


def write(path: Path, items: Iterable[StandardModel], *, report_count: int | None = None,
          version: SchemaVersion = SchemaVersion.V2, encoding: str = "UTF-8") -> Path:
    """A batch file, XML or JSON by ``path``'s suffix; reportCount right unless given."""
    documents = list(items)
    if version is SchemaVersion.V1:
        documents = [convert(r, SchemaVersion.V1).document for r in documents]
    count = len(documents) if report_count is None else report_count
    with path.open("wb") as out:
        if path.suffix == ".xml":
            write_xml_batch(out, version, header(count), documents, encoding=encoding)
        else:
            write_json_batch(out, version, header(count), documents)
    return path


def found(result: FileResult) -> list[tuple[str, str, int | None]]:
    """(rule, path, line) of every finding, errors then warnings."""
    return [(i.rule, i.path, i.line) for i in [*result.errors, *result.warnings]]


def rules(issues: Iterable[Issue]) -> set[str]:
    return {i.rule for i in issues}


def line_after(path: Path, start: str, occurrence: int, needle: str) -> int:
    """The line of the first ``needle`` after the ``occurrence``-th (from 0) ``start``."""
    lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
    seen = -1
    for number, text in enumerate(lines, start=1):
        if re.search(start, text):
            seen += 1
        if seen == occurrence and needle in text:
            return number
    raise AssertionError(f"{needle!r} not found after {start!r} #{occurrence}")
