"""Completeness (完整度) of a record: the share of its optional fields that apply and are filled.

Which optional fields apply:

- always: ethnicity, education, hukouAddress, inflowDate (every migrant has arrived), employer
  and phone;
- when the marital status is 20–23 (married): marriageDate, spouse and contraception (the
  commission tracks the measures of married couples);
- version 1, on a woman's record: certificate (the 婚育证明 was issued to migrant women of
  childbearing age);
- version 2, when a child was born in 2016 or later: birthRegistration (生育登记 began with the
  2016 reform).

Never counted: outflowDate (absent means no departure, not a gap), children (absent means no
children), and the certificate in version 2 (legacy: the 婚育证明 was abolished in 2016).
Sub-fields (spouse.idNumber, a child's name) are not counted. The result lies in 0.0..1.0.
"""

from __future__ import annotations

from schema.codes import Sex
from schema.models import v2
from schema.rules._frame import Record

_BIRTH_REGISTRATION_SINCE = 2016


def completeness(record: Record) -> float:
    """The share of the applicable optional fields that are filled."""
    values = _applicable(record)
    return sum(value is not None for value in values) / len(values)


def _applicable(record: Record) -> list[object]:
    values: list[object] = [
        record.ethnicity,
        record.education,
        record.hukou_address,
        record.inflow_date,
        record.employer,
        record.phone,
    ]
    if record.marital_status.is_married:
        values += (record.marriage_date, record.spouse, record.contraception)
    if isinstance(record, v2.PersonRecord):
        if any(c.birth_date.year >= _BIRTH_REGISTRATION_SINCE for c in record.children or ()):
            values.append(record.birth_registration)
    elif record.sex is Sex.FEMALE:
        values.append(record.certificate)
    return values
