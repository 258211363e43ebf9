"""Located findings of validation: one :class:`Issue` per broken rule."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Issue:
    """One finding: which rule, where, and what, in Chinese and English."""

    rule: str
    severity: Severity
    path: str
    message_zh: str
    message_en: str
    line: int | None = None

    @property
    def message(self) -> str:
        return f"{self.message_zh} / {self.message_en}"

    def at(self, *, path_prefix: str = "", line: int | None = None) -> Issue:
        """The same finding placed inside a larger document."""
        path = f"{path_prefix}.{self.path}" if path_prefix and self.path else (
            path_prefix or self.path
        )
        return Issue(
            self.rule,
            self.severity,
            path,
            self.message_zh,
            self.message_en,
            self.line if self.line is not None else line,
        )

    def at_path(self, path: str) -> Issue:
        """The same finding under another path."""
        return Issue(self.rule, self.severity, path, self.message_zh, self.message_en, self.line)

    def as_error(self) -> Issue:
        """This finding with severity raised to error (``--strict``)."""
        return Issue(self.rule, Severity.ERROR, self.path, self.message_zh, self.message_en,
                     self.line)

    def to_json(self) -> dict[str, object]:
        return {"rule": self.rule, "path": self.path, "line": self.line, "message": self.message}
