"""Field types shared by both versions, with the lexical rules of the published schemas.

Each type carries its own JSON Schema fragment so the generated schemas say exactly
what the models accept (the XSD generator reads the same metadata).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Any

from annotated_types import Ge, Le
from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    GetJsonSchemaHandler,
    Strict,
    StringConstraints,
    WithJsonSchema,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from schema.codes import ContraceptionMethod, Department, MaritalStatus, Sex

# Any four digits but 0000: year zero is refused by Python's date, by xs:date (XSD 1.0) and
# by python-jsonschema, but not by every JSON Schema validator's "date" format.
_YEAR = "([0-9]{3}[1-9]|[0-9]{2}[1-9]0|[0-9][1-9]00|[1-9]000)"
# An offset of at most 14 hours either way: xs:dateTime allows no more (RFC 3339 would).
_OFFSET = "(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))"
DATE_PATTERN = rf"^{_YEAR}-[0-9]{{2}}-[0-9]{{2}}$"
DATETIME_PATTERN = (
    rf"^{_YEAR}-[0-9]{{2}}-[0-9]{{2}}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    rf"(\.[0-9]{{1,6}})?{_OFFSET}$"
)
TEXT_PATTERN = r"^[^\x00-\x1f\ufffe\uffff]*$"
ID_PATTERN = r"^[0-9]{17}[0-9X]$"
REGION_PATTERN = r"^[0-9]{6}$"
ORG_CODE_PATTERN = r"^[0-9A-Z]{8}-[0-9X]$"
# Characters 9–17 are the organisation code (GB 11714), whose check character (the 17th)
# is a digit or X; version 2 → 1 conversion derives orgCode from them.
CREDIT_CODE_PATTERN = r"^[0-9]{8}[0-9A-HJ-NPQRTUWXY]{8}[0-9X][0-9A-HJ-NPQRTUWXY]$"
TOKEN_PATTERN = r"^[A-Za-z0-9._-]{1,64}$"
PERIOD_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"

_DATE_RE = re.compile(DATE_PATTERN)
_DATETIME_RE = re.compile(DATETIME_PATTERN)


def _parse_date(value: Any) -> Any:
    if type(value) is dt.date:  # what readers and adapters hand over, by the million
        return value
    if isinstance(value, str):
        return _date_from_text(value)
    if isinstance(value, dt.datetime):
        raise ValueError("a date, not a date and time")
    return value


@lru_cache(maxsize=1 << 14)  # documents by the million repeat their dates; bounded
def _date_from_text(value: str) -> dt.date:
    if not _DATE_RE.fullmatch(value):
        raise ValueError("date must be written YYYY-MM-DD")
    return dt.date.fromisoformat(value)


def _parse_datetime(value: Any) -> Any:
    if isinstance(value, str):
        if not _DATETIME_RE.fullmatch(value):
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


#: Added to every patterned string of the JSON Schema. Each pattern already refuses a
#: newline, but python-jsonschema applies ``pattern`` with Python's ``re.search``, whose
#: ``$`` also matches before a final newline: without this, "411622\n" would pass it while
#: the models, the XSD and ECMA-262 validators refuse it. The XSD generator ignores it.
SINGLE_LINE: dict[str, Any] = {"not": {"pattern": "\\n"}}


@dataclass(frozen=True, slots=True)
class _SingleLine:
    """Annotation that adds :data:`SINGLE_LINE` to a string type's JSON Schema."""

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema: JsonSchemaValue = handler(core_schema)
        schema.update(SINGLE_LINE)
        return schema


_SINGLE = _SingleLine()


Date = Annotated[
    dt.date,
    BeforeValidator(_parse_date),
    Field(strict=True),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN,
                    **SINGLE_LINE}),
]
DateTime = Annotated[
    dt.datetime,
    BeforeValidator(_parse_datetime),
    Field(strict=True),
    AfterValidator(_require_offset),
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": DATETIME_PATTERN,
                    **SINGLE_LINE}),
]
#: The largest count or order: 2^53 - 1, the largest integer every JSON reader keeps exactly
#: (RFC 7493 I-JSON); it also keeps xs:nonNegativeInteger within what every libxml2 checks
#: (version 2.9 refuses integers of more than 24 digits, later ones do not).
MAX_INTEGER = 2**53 - 1

Count = Annotated[
    int,
    BeforeValidator(_integral),
    Strict(),
    Ge(0),
    Le(MAX_INTEGER),
    WithJsonSchema({"type": "integer", "minimum": 0, "maximum": MAX_INTEGER}),
]
Order = Annotated[
    int,
    BeforeValidator(_integral),
    Strict(),
    Ge(1),
    Le(MAX_INTEGER),
    WithJsonSchema({"type": "integer", "minimum": 1, "maximum": MAX_INTEGER}),
]


IdNumber = Annotated[str, StringConstraints(strict=True, pattern=ID_PATTERN), _SINGLE]
RegionCode = Annotated[str, StringConstraints(strict=True, pattern=REGION_PATTERN), _SINGLE]
OrgCode = Annotated[str, StringConstraints(strict=True, pattern=ORG_CODE_PATTERN), _SINGLE]
CreditCode = Annotated[
    str, StringConstraints(strict=True, pattern=CREDIT_CODE_PATTERN), _SINGLE
]
Token = Annotated[str, StringConstraints(strict=True, pattern=TOKEN_PATTERN), _SINGLE]
Period = Annotated[str, StringConstraints(strict=True, pattern=PERIOD_PATTERN), _SINGLE]
PersonName = Annotated[
    str,
    StringConstraints(strict=True, min_length=1, max_length=50, pattern=TEXT_PATTERN),
    _SINGLE,
]
Address = Annotated[
    str, StringConstraints(strict=True, max_length=200, pattern=TEXT_PATTERN), _SINGLE
]
Phone = Annotated[
    str, StringConstraints(strict=True, max_length=20, pattern=TEXT_PATTERN), _SINGLE
]
DocumentNumber = Annotated[
    str,
    StringConstraints(strict=True, min_length=1, max_length=50, pattern=TEXT_PATTERN),
    _SINGLE,
]
OrganisationName = Annotated[
    str,
    StringConstraints(strict=True, min_length=1, max_length=100, pattern=TEXT_PATTERN),
    _SINGLE,
]
Remarks = Annotated[
    str, StringConstraints(strict=True, max_length=500, pattern=TEXT_PATTERN), _SINGLE
]
Ethnicity = Annotated[str, StringConstraints(strict=True, pattern=r"^[0-9]{2}$"), _SINGLE]
EducationLevel = Annotated[str, StringConstraints(strict=True, pattern=r"^[0-9]{2}$"), _SINGLE]

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
