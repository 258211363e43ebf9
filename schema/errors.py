"""The error tree of the project, with stable codes.

    YipanqiError                      code
    ├── DocumentError (ValueError)
    │   ├── MalformedDocument         "malformed"       not well-formed, hostile or unreadable
    │   ├── UnknownDocument           "unknown-document" not a document type of the standard
    │   └── DocumentInvalid           "invalid"         breaks the schema or an error rule
    └── ConversionLoss (ValueError)   "conversion-loss" a down-conversion would drop data

Every error carries a stable ``code``; documents errors also carry the located
:class:`~schema.issues.Issue` list behind them. Later packages extend this tree
(``gateway.errors``) rather than starting their own.
"""

from __future__ import annotations

from collections.abc import Sequence

from schema.issues import Issue


class YipanqiError(Exception):
    """Root of every error the project raises on purpose."""

    code: str = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DocumentError(YipanqiError, ValueError):
    """A document could not be accepted."""

    code = "document"

    def __init__(self, message: str, issues: Sequence[Issue] = ()) -> None:
        super().__init__(message)
        self.issues: tuple[Issue, ...] = tuple(issues)


class MalformedDocument(DocumentError):
    """Not well-formed XML or JSON, forbidden constructs (DTDs, entities), bad encoding."""

    code = "malformed"


class UnknownDocument(DocumentError):
    """Well-formed, but not a document type or version of the standard."""

    code = "unknown-document"


class DocumentInvalid(DocumentError):
    """Breaks the schema or at least one rule of severity ``error``."""

    code = "invalid"


class ConversionLoss(YipanqiError, ValueError):
    """Converting to an older version would drop the listed fields."""

    code = "conversion-loss"

    def __init__(self, lost: Sequence[str]) -> None:
        super().__init__("conversion would lose: " + ", ".join(lost))
        self.lost: tuple[str, ...] = tuple(lost)
