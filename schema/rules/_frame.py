"""What every record rule is given: the record, where it sits, and the day it is judged on."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple, TypeAlias

from schema.models import v1, v2

Record: TypeAlias = v1.PersonRecord | v2.PersonRecord


class Frame(NamedTuple):
    """The judging context of one record.

    ``prefix`` is prepended to every path (``""`` for a bare record, ``"record."`` inside a
    report); a date after ``today`` lies in the future; hukou and residence codes must be in
    force in ``year``.
    """

    prefix: str
    today: dt.date
    year: int


def age_on(birth: dt.date, day: dt.date) -> int:
    """Full years of age on ``day`` (a year is complete on the birthday; 29 Feb on 1 Mar)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
