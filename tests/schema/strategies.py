"""Hypothesis strategies for schema-valid documents of every type, in both versions.

"Valid" means valid against the schema (the models, the XSD, the JSON Schema): the
logic rules of ``schema.rules`` need not hold, so ID numbers have random check
characters, children may be born before their parents, and a batch's reportCount need
not match its reports. Everything else is covered: every optional field present or
absent, every code of every table, Chinese text with ``·`` and characters outside the
BMP, the length limits exactly (names of 1 and 50 characters, addresses of 0 and 200),
dates over the whole 0001–9999 range and times with offsets from -14:00 to +14:00, with
and without microseconds.

The strategies build the wire form (keys as in the standard, Python values for dates,
times and codes) and validate it into the model, so they fail loudly if the models
ever refuse what the standard allows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal, get_args

from hypothesis import strategies as st

from schema.codes import (
    V1_CHANGE_TYPES,
    ChangeType,
    ContraceptionMethod,
    Department,
    MaritalStatus,
    Sex,
)
from schema.documents import document_type
from schema.models import v1, v2
from schema.models._base import StandardModel
from schema.models._types import MAX_INTEGER

VERSIONS = ("1", "2")
#: The documents of DESIGN §3 that carry a person's record.
DOCUMENT_NAMES = ("PersonRecord", "ChangeReport", "ChangeReportBatch")
#: (document name, version) of every document type of the standard.
DOCUMENT_KINDS = tuple((name, version) for version in VERSIONS for name in DOCUMENT_NAMES)

Strategy = st.SearchStrategy

# --- text -----------------------------------------------------------------------------

#: Characters the text types allow and XML can carry: no C0 controls (tab, newline and
#: carriage return included), no U+FFFE/U+FFFF, no lone surrogates.
_SURROGATES: tuple[Literal["Cs"]] = ("Cs",)
TEXT_CHARS: Strategy[str] = st.characters(
    min_codepoint=0x20, exclude_categories=_SURROGATES, exclude_characters="\ufffe\uffff"
)
_CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
#: CJK Extension B: outside the BMP (two UTF-16 units, four UTF-8 bytes, one character).
_CJK_EXT_B = st.characters(min_codepoint=0x20000, max_codepoint=0x2A6DF)
_NAME_CHARS = st.one_of(_CJK, _CJK, _CJK, st.just("·"), _CJK_EXT_B,
                        st.sampled_from("ABCabc- "), TEXT_CHARS)
_WORDY_CHARS = st.one_of(_CJK, _CJK, st.sampled_from("0123456789号路村·-（）, "), TEXT_CHARS)


def text(min_size: int, max_size: int, alphabet: Strategy[str] = _WORDY_CHARS) -> Strategy[str]:
    """Text of ``min_size`` to ``max_size`` characters, the two limits drawn often."""
    sizes = st.one_of(st.sampled_from(sorted({min_size, max_size})),
                      st.integers(min_size, min(max_size, min_size + 12)))
    return sizes.flatmap(lambda n: st.text(alphabet, min_size=n, max_size=n))


def person_names() -> Strategy[str]:
    """Names of 1–50 characters: Han, ``·``-joined (维吾尔 names), and anything legal."""
    joined = st.tuples(st.text(_CJK, min_size=1, max_size=8),
                       st.text(_CJK, min_size=1, max_size=8)).map("·".join)
    return st.one_of(text(1, 50, _NAME_CHARS), joined, st.sampled_from(
        ["王秀英", "李", "买买提·艾力", "阿依古丽·吐尔逊", "𠀀𠀁", "·", "Anna-Maria Müller"]
    ))


def pattern(regex: str) -> Strategy[str]:
    """Strings matching ``regex`` exactly (no anchors in ``regex``)."""
    return st.from_regex(regex, fullmatch=True)


ID_NUMBERS = pattern(r"[0-9]{17}[0-9X]")
REGIONS = pattern(r"[0-9]{6}")
TWO_DIGITS = pattern(r"[0-9]{2}")
ORG_CODES = pattern(r"[0-9A-Z]{8}-[0-9X]")
CREDIT_CODES = pattern(r"[0-9]{8}[0-9A-HJ-NPQRTUWXY]{8}[0-9X][0-9A-HJ-NPQRTUWXY]")
TOKENS = st.one_of(pattern(r"[A-Za-z0-9._-]{1,64}"),
                   st.text("Aa0._-", min_size=64, max_size=64))
PERIODS = pattern(r"[0-9]{4}-(0[1-9]|1[0-2])")

# --- dates and times ------------------------------------------------------------------

DATES = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))

_FAMOUS_OFFSETS = [0, 8 * 60, 5 * 60 + 30, 5 * 60 + 45, -(3 * 60 + 30), 14 * 60, -14 * 60]
#: Fixed offsets in whole minutes within ±14:00, the range xs:dateTime allows.
OFFSETS: Strategy[dt.tzinfo] = st.one_of(
    st.just(dt.UTC),
    st.sampled_from(_FAMOUS_OFFSETS).map(lambda m: dt.timezone(dt.timedelta(minutes=m))),
    st.integers(-14 * 60, 14 * 60).map(lambda m: dt.timezone(dt.timedelta(minutes=m))),
)
DATETIMES = st.one_of(
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31, 23, 59, 59),
                 timezones=OFFSETS),
    st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2030, 1, 1),
                 timezones=OFFSETS).map(lambda t: t.replace(microsecond=0)),
)

# --- counts ---------------------------------------------------------------------------

COUNTS = st.one_of(st.integers(0, 20), st.integers(0, MAX_INTEGER), st.just(MAX_INTEGER))
ORDERS = st.one_of(st.integers(1, 5), st.integers(1, MAX_INTEGER))

# --- parts of a record ----------------------------------------------------------------


def _object(required: dict[str, Strategy[Any]],
            optional: dict[str, Strategy[Any]] | None = None) -> Strategy[dict[str, Any]]:
    return st.fixed_dictionaries(required, optional=optional or {})


def _spouse() -> Strategy[dict[str, Any]]:
    return _object({"name": person_names()}, {"idNumber": ID_NUMBERS})


def _child() -> Strategy[dict[str, Any]]:
    return _object({"sex": st.sampled_from(Sex), "birthDate": DATES, "birthOrder": ORDERS},
                   {"name": person_names(), "idNumber": ID_NUMBERS})


def _employer(version: str, v2_extras: bool) -> Strategy[dict[str, Any]]:
    optional: dict[str, Strategy[Any]] = {"orgCode": ORG_CODES}
    if version == "2" and v2_extras:
        optional["creditCode"] = CREDIT_CODES
    return _object({"name": text(1, 100)}, optional)


def record_data(version: str, *, v2_extras: bool = True) -> Strategy[dict[str, Any]]:
    """The wire data of a PersonRecord; ``v2_extras=False`` leaves out what v1 cannot hold."""
    optional: dict[str, Strategy[Any]] = {
        "ethnicity": TWO_DIGITS,
        "education": TWO_DIGITS,
        "hukouAddress": text(0, 200),
        "inflowDate": DATES,
        "outflowDate": DATES,
        "marriageDate": DATES,
        "spouse": _spouse(),
        "children": st.lists(_child(), min_size=1, max_size=3),
        "contraception": _object({"method": st.sampled_from(ContraceptionMethod),
                                  "since": DATES}),
        "certificate": _object({"number": text(1, 50), "issuingRegion": REGIONS,
                                "issueDate": DATES, "expiryDate": DATES}),
        "employer": _employer(version, v2_extras),
        "phone": st.one_of(text(0, 20), pattern(r"1[3-9][0-9]{9}")),
    }
    if version == "2" and v2_extras:
        optional["birthRegistration"] = _object({
            "number": text(1, 50), "registeredOn": DATES, "registeringRegion": REGIONS,
        })
    return _object({
        "idNumber": ID_NUMBERS,
        "name": person_names(),
        "sex": st.sampled_from(Sex),
        "birthDate": DATES,
        "hukouRegion": REGIONS,
        "residenceRegion": REGIONS,
        "residenceAddress": text(0, 200),
        "maritalStatus": st.sampled_from(MaritalStatus),
    }, optional)


def record_fields(version: str, *, v2_extras: bool = True) -> tuple[str, ...]:
    """The names changedFields may hold in ``version``."""
    names: tuple[str, ...] = get_args(v1.RecordField if version == "1" else v2.RecordField)
    return names if v2_extras else tuple(n for n in names if n != "birthRegistration")


def change_types(version: str, *, v2_extras: bool = True) -> tuple[ChangeType, ...]:
    return V1_CHANGE_TYPES if version == "1" or not v2_extras else tuple(ChangeType)


def _reporting_unit() -> Strategy[dict[str, Any]]:
    return _object({"region": REGIONS, "department": st.sampled_from(Department)})


def report_data(version: str, *, v2_extras: bool = True) -> Strategy[dict[str, Any]]:
    """The wire data of a ChangeReport."""
    return _object({
        "reportId": TOKENS,
        "changeType": st.sampled_from(change_types(version, v2_extras=v2_extras)),
        "effectiveDate": DATES,
        "reportedAt": DATETIMES,
        "reportingUnit": _reporting_unit(),
        "record": record_data(version, v2_extras=v2_extras),
    }, {
        "baseVersion": COUNTS,
        "changedFields": st.lists(
            st.sampled_from(record_fields(version, v2_extras=v2_extras)), min_size=1, max_size=4
        ),
        "remarks": text(0, 500),
    })


@st.composite
def batch_data(draw: st.DrawFn, version: str, *, v2_extras: bool = True) -> dict[str, Any]:
    """The wire data of a ChangeReportBatch of 1–3 reports."""
    reports = draw(st.lists(report_data(version, v2_extras=v2_extras), min_size=1, max_size=3))
    count = draw(st.one_of(st.just(len(reports)), COUNTS))
    return {
        "batchId": draw(TOKENS),
        "period": draw(PERIODS),
        "reportingUnit": draw(_reporting_unit()),
        "reportCount": count,
        "reports": reports,
    }


_DATA = {"PersonRecord": record_data, "ChangeReport": report_data,
         "ChangeReportBatch": batch_data}


def documents(name: str, version: str, *, v2_extras: bool = True) -> Strategy[StandardModel]:
    """Valid documents of one type and version.

    With ``v2_extras=False`` a version 2 document holds nothing version 1 cannot: no
    creditCode, no birthRegistration, no BIRTH_REGISTRATION change.
    """
    model = document_type(name, version).model
    return _DATA[name](version, v2_extras=v2_extras).map(model.model_validate)


def any_document(version: str | None = None, *, v2_extras: bool = True
                 ) -> Strategy[StandardModel]:
    """A valid document of any type, of ``version`` or of either."""
    return st.one_of([documents(name, v, v2_extras=v2_extras)
                      for name, v in DOCUMENT_KINDS if version in (None, v)])
