"""Validate a large batch on every core: slices cut at report boundaries, one per process.

Each slice is framed into a complete document (the batch header before, the closing of
the batch after), validated by the same streaming code, and the findings are merged with
report indices and lines of the whole file. Slicing is an optimisation only: when a
file cannot be cut safely, or any slice turns out malformed or breaks the XSD, the
caller validates the file in one sequential pass, which locates every error exactly.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import BinaryIO

from schema.codes import SchemaVersion
from schema.documents import DocumentType, document_type
from schema.errors import DocumentError
from schema.jsonsafe import DECODER
from schema.jsonstream import JsonObjectStream
from schema.sniff import wide_encoding
from schema.validation._check import DocumentChecker
from schema.validation._json import JsonValidation
from schema.validation._result import FileResult, ProgressCallback, ValidationOptions
from schema.validation._source import Source
from schema.validation._xml import XsdRejected, peek_document_type, stream_batch

#: Batches smaller than this are not worth the start of a second process.
PARALLEL_MIN_BYTES = 32 * 1024 * 1024
_ASCII_COMPATIBLE = {"utf-8", "utf8", "gb18030", "gbk", "gb2312", "us-ascii", "ascii",
                     "iso-8859-1", "latin-1"}
_XML_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)")
_XML_ROOT = re.compile(rb"<(?:([A-Za-z_][\w.-]*):)?ChangeReportBatch[\s>]")
_XML_ANY_REPORT = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?)report[\s>]")
_JSON_TAIL = re.compile(rb"\]\s*\}\s*\Z")
_INDEX = re.compile(r"^reports\[(\d+)\]")


def worker_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class _File:
    """Positioned reads of a file in bounded windows.

    The planners never map or load the whole file, so memory stays flat however large
    the batch (a memory map would count every page it touched as resident).
    """

    BLOCK = 1 << 20

    def __init__(self, handle: BinaryIO) -> None:
        self.handle = handle
        self.size = os.fstat(handle.fileno()).st_size

    def read(self, start: int, length: int) -> bytes:
        self.handle.seek(start)
        return self.handle.read(length)

    def search(self, pattern: re.Pattern[bytes], start: int) -> tuple[int, bytes] | None:
        """Offset and text of the first match at or after ``start`` (matches < 256 bytes)."""
        while start < self.size:
            window = self.read(start, self.BLOCK + 256)
            match = pattern.search(window)
            if match is not None:
                return start + match.start(), match.group(0)
            start += self.BLOCK
        return None

    def count_lines(self, end: int) -> int:
        block = self.BLOCK * 16
        return sum(self.read(i, min(block, end - i)).count(b"\n") for i in range(0, end, block))


def _frame(path: str, file: _File, cuts: list[int], ends: list[int], prefix: bytes,
           suffix: bytes) -> list[Source]:
    """Slice 0 runs from the top of the file; the others are framed by ``prefix``."""
    sources = [Source(path, 0, ends[0], b"", suffix, 0, True)]
    prefix_lines = prefix.count(b"\n")
    for index, cut in enumerate(cuts[1:], start=1):
        last = index == len(cuts) - 1
        offset = file.count_lines(cut) - prefix_lines
        sources.append(Source(path, cut, None if last else ends[index], prefix,
                              b"" if last else suffix, offset, False))
    return sources


def plan_xml_slices(path: str, slices: int) -> tuple[list[Source], DocumentType] | None:
    doc_type = peek_document_type(path)
    if doc_type.name != "ChangeReportBatch":
        return None
    with open(path, "rb") as handle:
        file = _File(handle)
        head = file.read(0, _File.BLOCK)
        declared = _XML_ENCODING.match(head)
        if wide_encoding(head) is not None or (
                declared and declared.group(1).decode().lower() not in _ASCII_COMPATIBLE):
            return None
        root = _XML_ROOT.search(head)
        first = _XML_ANY_REPORT.search(head, root.end()) if root else None
        if root is None or first is None:
            return None
        report = re.compile(rb"<" + re.escape(first.group(1)) + rb"report[\s>]")
        cuts = [first.start()]
        for part in range(1, slices):
            target = first.start() + (file.size - first.start()) * part // slices
            hit = file.search(report, target)
            if hit is None or hit[0] <= cuts[-1]:
                return None
            cuts.append(hit[0])
        qualifier = root.group(1) + b":" if root.group(1) else b""
        closing = b"</" + qualifier + b"ChangeReportBatch>"
        return _frame(path, file, cuts, cuts[1:], head[:first.start()], closing), doc_type


def _is_report_start(file: _File, position: int) -> bool:
    """Whether a JSON object at ``position`` decodes to a change report."""
    window = 1 << 16
    while window <= 1 << 24:
        text = file.read(position, window).decode("utf-8", errors="replace")
        try:
            value, _end = DECODER.raw_decode(text)
        except (ValueError, DocumentError, RecursionError):
            if position + window >= file.size:
                return False
            window *= 4
            continue
        return isinstance(value, dict) and "reportId" in value
    return False


_JSON_ITEM_START = re.compile(rb",\s*\{")


def _json_cut(file: _File, target: int) -> tuple[int, int] | None:
    """The next report start after ``target``: (the comma before it, its brace)."""
    while (hit := file.search(_JSON_ITEM_START, target)) is not None:
        comma, brace = hit[0], hit[0] + len(hit[1]) - 1
        if _is_report_start(file, brace):
            return comma, brace
        target = brace
    return None


def plan_json_slices(path: str, slices: int) -> tuple[list[Source], DocumentType] | None:
    with open(path, "rb") as handle:
        file = _File(handle)
        if not _JSON_TAIL.search(file.read(max(0, file.size - 64), 64)):
            return None
        handle.seek(0)
        stream = JsonObjectStream(handle)
        members: dict[str, object] = {}
        for kind, key, value, _line in stream.events(
                lambda key: "stream" if key == "reports" else "value"):
            if kind == "open":
                break
            members[key] = value
        else:
            return None
        version = members.get("schemaVersion")
        if members.get("type") != "ChangeReportBatch" or version not in ("1", "2"):
            return None
        start = stream.byte_position
        commas, cuts = [], [start]
        for part in range(1, slices):
            cut = _json_cut(file, max(start + (file.size - start) * part // slices, cuts[-1]))
            if cut is None:
                return None
            commas.append(cut[0])
            cuts.append(cut[1])
        sources = _frame(path, file, cuts, commas, file.read(0, start), b"]}")
        return sources, document_type("ChangeReportBatch", str(version))


@dataclass(frozen=True, slots=True)
class SliceResult:
    result: FileResult
    reports: int
    declared: int | None
    framed: bool  # False when the slice was malformed or broke the XSD
    count_line: int | None = None


def run_slice(fmt: str, name: str, version: str, source: Source,
              options: ValidationOptions,
              progress: ProgressCallback | None = None) -> SliceResult:
    doc_type = document_type(name, SchemaVersion(version))
    result = FileResult(file=source.path)
    try:
        if fmt == "xml":
            checker = DocumentChecker(doc_type, options, result)
            checker.line_offset = source.line_offset
            outcome = stream_batch(source, checker, progress)
            return SliceResult(result, outcome.reports, outcome.declared, True,
                               checker.count_line)
        validation = JsonValidation(source, options, result, progress)
        validation.run()
        count_line = validation.checker.count_line if validation.checker else None
        return SliceResult(result, validation.reports, validation.declared, True, count_line)
    except (DocumentError, XsdRejected):
        return SliceResult(result, 0, None, False)


def _pool(workers: int) -> ProcessPoolExecutor:
    # fork is cheap and safe while this process has a single thread (no progress bar);
    # otherwise the forkserver starts workers from a clean, single-threaded process.
    method = "fork" if threading.active_count() == 1 and os.name == "posix" else "forkserver"
    return ProcessPoolExecutor(max_workers=workers,
                               mp_context=multiprocessing.get_context(method))


def _rebase(path: str, base: int) -> str:
    """``reports[3].record`` of a slice whose first report is the file's ``base``-th."""
    match = _INDEX.match(path)
    return f"reports[{int(match.group(1)) + base}]{path[match.end():]}" if match else path


def _merge(result: FileResult, parts: list[SliceResult], options: ValidationOptions,
           checker: DocumentChecker) -> None:
    base = 0
    for part in parts:
        for issue in [*part.result.errors, *part.result.warnings]:
            result.add(issue.at_path(_rebase(issue.path, base)), options)
        result.dropped += part.result.dropped
        result.dropped_errors += part.result.dropped_errors
        result.documents += part.result.documents
        base += part.reports
    checker.count_line = parts[0].count_line
    checker.count(parts[0].declared, base)


def validate_parallel(path: str, fmt: str, options: ValidationOptions, result: FileResult,
                      progress: ProgressCallback | None) -> bool:
    """Validate a large batch on several cores; False when the caller must do it sequentially."""
    slices = worker_count()
    if slices < 2 or os.path.getsize(path) < PARALLEL_MIN_BYTES:
        return False
    planned = plan_xml_slices(path, slices) if fmt == "xml" else plan_json_slices(path, slices)
    if planned is None:
        return False
    plan, doc_type = planned
    args = (fmt, doc_type.name, doc_type.version.value)
    size = os.path.getsize(path)
    own = (plan[0].end or size) or 1
    scaled = None if progress is None else (lambda done: progress(done * size // own))
    with _pool(len(plan) - 1) as pool:
        futures = [pool.submit(run_slice, *args, source, options) for source in plan[1:]]
        parts = [run_slice(*args, plan[0], options, scaled)]
        parts += [future.result() for future in futures]
    if not all(part.framed for part in parts):
        return False
    result.document_type = doc_type.name
    result.schema_version = doc_type.version.value
    _merge(result, parts, options, DocumentChecker(doc_type, options, result))
    return True
