"""Strict JSON reading: duplicate keys, lone surrogates, NaN and runaway nesting refused."""

from __future__ import annotations

import json
from typing import Any

from schema.errors import MalformedDocument


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise MalformedDocument(f"duplicate key {key!r} in a JSON object")
            seen.add(key)
    return result


def _constant(name: str) -> Any:
    raise MalformedDocument(f"{name} is not JSON")


DECODER = json.JSONDecoder(object_pairs_hook=_pairs, parse_constant=_constant)


def _check_surrogates(value: Any) -> None:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise MalformedDocument("JSON string holds a lone surrogate escape") from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_surrogates(key)
            _check_surrogates(item)
    elif isinstance(value, list):
        for item in value:
            _check_surrogates(item)


def decode_at(text: str, index: int, first_line: int = 1) -> tuple[Any, int]:
    """Decode the JSON value that starts at ``text[index]``; return it and the end index.

    ``first_line`` is the file line on which ``text`` begins, for error messages.
    """
    try:
        value, end = DECODER.raw_decode(text, index)
    except json.JSONDecodeError as exc:
        line = exc.lineno + first_line - 1
        raise MalformedDocument(f"line {line} column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise MalformedDocument("JSON nested too deeply") from None
    except ValueError as exc:  # e.g. an integer longer than Python converts (4,300 digits)
        raise MalformedDocument(f"unreadable JSON value: {exc}") from None
    if "\\u" in text[index:end].lower():
        _check_surrogates(value)
    return value, end


def loads(data: str | bytes) -> Any:
    """Decode one JSON value strictly; :class:`MalformedDocument` on any defect."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise MalformedDocument(f"JSON must be UTF-8: {exc}") from None
    start = len(data) - len(data.lstrip())
    value, end = decode_at(data, start)
    if data[end:].strip():
        line = data.count("\n", 0, end) + 1
        raise MalformedDocument(f"line {line}: extra data after the JSON value")
    return value
