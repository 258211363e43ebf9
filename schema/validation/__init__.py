"""Validate files of the standard: format, document type, version, schema and rules.

    validate_path(path)   -> FileResult   (never raises for bad content)
    is_valid(path)        -> bool
    iter_errors(path)     -> Iterator[Issue]
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

from schema.errors import DocumentError
from schema.issues import Issue, Severity
from schema.sniff import sniff, wide_encoding
from schema.validation._json import validate_json
from schema.validation._parallel import validate_parallel
from schema.validation._result import (
    MAX_ISSUES,
    FileResult,
    ProgressCallback,
    ValidationOptions,
)
from schema.validation._xml import validate_xml

#: libxml2 and the JSON readers name the line in their messages: "… line 86 …".
_LINE_IN_MESSAGE = re.compile(r"\bline (\d+)")


def _failure(result: FileResult, rule: str, zh: str, en: str, line: int | None = None) -> None:
    result.errors.append(Issue(rule, Severity.ERROR, "", zh, en, line))


def validate_path(
    path: str | os.PathLike[str],
    options: ValidationOptions | None = None,
    progress: ProgressCallback | None = None,
) -> FileResult:
    """Validate one file; every problem, hostile input included, ends up in the result."""
    options = options or ValidationOptions()
    name = os.fspath(path)
    result = FileResult(file=name)
    try:
        size = os.path.getsize(name)
        with open(name, "rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        _failure(result, "unreadable", f"无法读取文件：{exc.strerror}",
                 f"cannot read the file: {exc.strerror}")
        return result
    result.format = sniff(head)
    if _refused_encoding(result, head):
        return result
    try:
        if result.format is not None and validate_parallel(name, result.format, options,
                                                           result, progress):
            pass
        elif result.format == "xml":
            validate_xml(name, options, result, size, progress)
        elif result.format == "json":
            validate_json(name, options, result, progress)
        else:
            _failure(result, "malformed", "文件既不是XML也不是JSON",
                     "the file is neither XML nor JSON", 1)
    except DocumentError as exc:
        line = _LINE_IN_MESSAGE.search(exc.message)
        _failure(result, exc.code, f"文档无法读取：{exc.message}",
                 f"the document cannot be read: {exc.message}",
                 int(line.group(1)) if line else None)
    except (MemoryError, RecursionError) as exc:
        _failure(result, "malformed", f"文档结构异常：{type(exc).__name__}",
                 f"the document is pathological: {type(exc).__name__}")
    return result


def _refused_encoding(result: FileResult, head: bytes) -> bool:
    """JSON in UTF-16 or UTF-32, XML in UTF-32: named, at line 1, rather than refused for a
    byte far into the file."""
    wide = wide_encoding(head)
    if wide is None or result.format is None:
        return False
    name = wide[0]
    if result.format == "json":
        _failure(result, "malformed", f"JSON 文档须为 UTF-8 编码，此文件为 {name}",
                 f"a JSON document must be UTF-8 (RFC 8259); this file is {name}", 1)
        return True
    if name.startswith("UTF-32"):
        _failure(result, "malformed", f"XML 文档须为 UTF-8 或 UTF-16 编码，此文件为 {name}",
                 f"an XML document must be UTF-8 or UTF-16; this file is {name}", 1)
        return True
    return False


def is_valid(path: str | os.PathLike[str], options: ValidationOptions | None = None) -> bool:
    """True when the file holds a valid document (warnings allowed unless strict)."""
    return validate_path(path, options).valid


def iter_errors(path: str | os.PathLike[str],
                options: ValidationOptions | None = None) -> Iterator[Issue]:
    """Every error of the file, located."""
    yield from validate_path(path, options).errors


__all__ = [
    "MAX_ISSUES",
    "FileResult",
    "ProgressCallback",
    "ValidationOptions",
    "is_valid",
    "iter_errors",
    "validate_path",
]
