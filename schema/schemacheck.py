"""Schema validation of decoded documents against the models, as located issues."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import ValidationError

from schema.issues import Issue, Severity
from schema.models._base import StandardModel

M = TypeVar("M", bound=StandardModel)


def format_path(loc: Sequence[int | str], prefix: str = "") -> str:
    """``('record', 'children', 0, 'sex')`` → ``record.children[0].sex``."""
    path = prefix
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path = f"{path}.{part}" if path else str(part)
    return path


def schema_issues(exc: ValidationError, prefix: str = "") -> list[Issue]:
    """One ``schema`` issue per pydantic error, located by field path."""
    issues = []
    for error in exc.errors(include_url=False, include_input=False):
        loc = [p for p in error["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
        path = format_path(loc, prefix)
        message = error["msg"]
        issues.append(
            Issue("schema", Severity.ERROR, path, f"不符合标准格式：{message}",
                  f"not valid against the schema: {message}")
        )
    return issues


def validate_model(model: type[M], data: Any, prefix: str = "") -> tuple[M | None, list[Issue]]:
    """The model built from wire-form ``data``, or None with the schema issues that
    prevented it. Only wire names count here (``hukouAddress``, never ``hukou_address``),
    as in the published schemas."""
    try:
        return model.model_validate(data, by_alias=True, by_name=False), []
    except ValidationError as exc:
        return None, schema_issues(exc, prefix)
