"""Field types shared by both versions, with the lexical rules of the published schemas.

Each type carries its own JSON Schema fragment so the generated schemas say exactly
what the models accept (the XSD generator reads the same metadata).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from annotated_types import Ge
from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    Strict,
    StringConstraints,
    WithJsonSchema,
)

from schema.codes import ContraceptionMethod, Department, MaritalStatus, Sex

DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DATETIME_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    r"(\.[0-9]{1,6})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$"
)
TEXT_PATTERN = r"^[^\x00-\x1f\ufffe\uffff]*$"
ID_PATTERN = r"^[0-9]{17}[0-9X]$"
REGION_PATTERN = r"^[0-9]{6}$"
ORG_CODE_PATTERN = r"^[0-9A-Z]{8}-[0-9X]$"
CREDIT_CODE_PATTERN = r"^[0-9]{8}[0-9A-HJ-NPQRTUWXY]{10}$"
TOKEN_PATTERN = r"^[A-Za-z0-9._-]{1,64}$"
PERIOD_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"

_DATE_RE = re.compile(DATE_PATTERN)
_DATETIME_RE = re.compile(DATETIME_PATTERN)


def _parse_date(value: Any) -> Any:
    if isinstance(value, str):
        if not _DATE_RE.match(value):
            raise ValueError("date must be written YYYY-MM-DD")
        return dt.date.fromisoformat(value)
    if isinstance(value, dt.datetime):
        raise ValueError("a date, not a date and time")
    return value


def _parse_datetime(value: Any) -> Any:
    if isinstance(value, str):
        if not _DATETIME_RE.match(value):
            raise ValueError("time must be RFC 3339 with an offset, e.g. 2010-04-07T09:30:00+08:00")
        return dt.datetime.fromisoformat(value)
    return value


def _require_offset(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("time needs a UTC offset")
    return value


def _integral(value: Any) -> Any:
    # JSON Schema counts 3.0 as an integer; so do we, but never a bool or a string.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool):
        raise ValueError("an integer, not a boolean")
    return value


Date = Annotated[
    dt.date,
    BeforeValidator(_parse_date),
    Field(strict=True),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN}),
]
DateTime = Annotated[
    dt.datetime,
    BeforeValidator(_parse_datetime),
    Field(strict=True),
    AfterValidator(_require_offset),
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": DATETIME_PATTERN}),
]
Count = Annotated[
    int,
    BeforeValidator(_integral),
    Strict(),
    Ge(0),
    WithJsonSchema({"type": "integer", "minimum": 0}),
]
Order = Annotated[
    int,
    BeforeValidator(_integral),
    Strict(),
    Ge(1),
    WithJsonSchema({"type": "integer", "minimum": 1}),
]


IdNumber = Annotated[str, StringConstraints(strict=True, pattern=ID_PATTERN)]
RegionCode = Annotated[str, StringConstraints(strict=True, pattern=REGION_PATTERN)]
OrgCode = Annotated[str, StringConstraints(strict=True, pattern=ORG_CODE_PATTERN)]
CreditCode = Annotated[str, StringConstraints(strict=True, pattern=CREDIT_CODE_PATTERN)]
Token = Annotated[str, StringConstraints(strict=True, pattern=TOKEN_PATTERN)]
Period = Annotated[str, StringConstraints(strict=True, pattern=PERIOD_PATTERN)]
PersonName = Annotated[
    str, StringConstraints(strict=True, min_length=1, max_length=50, pattern=TEXT_PATTERN)
]
Address = Annotated[str, StringConstraints(strict=True, max_length=200, pattern=TEXT_PATTERN)]
Phone = Annotated[str, StringConstraints(strict=True, max_length=20, pattern=TEXT_PATTERN)]
DocumentNumber = Annotated[
    str, StringConstraints(strict=True, min_length=1, max_length=50, pattern=TEXT_PATTERN)
]
OrganisationName = Annotated[
    str, StringConstraints(strict=True, min_length=1, max_length=100, pattern=TEXT_PATTERN)
]
Remarks = Annotated[str, StringConstraints(strict=True, max_length=500, pattern=TEXT_PATTERN)]
Ethnicity = Annotated[str, StringConstraints(strict=True, pattern=r"^[0-9]{2}$")]
EducationLevel = Annotated[str, StringConstraints(strict=True, pattern=r"^[0-9]{2}$")]

__all__ = [
    "Address",
    "ContraceptionMethod",
    "Count",
    "CreditCode",
    "Date",
    "DateTime",
    "Department",
    "DocumentNumber",
    "EducationLevel",
    "Ethnicity",
    "IdNumber",
    "MaritalStatus",
    "Order",
    "OrgCode",
    "OrganisationName",
    "Period",
    "PersonName",
    "Phone",
    "RegionCode",
    "Remarks",
    "Sex",
    "Token",
]
