"""The record rules in their fixed order, run on a bare record or inside a report."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from schema.issues import Issue
from schema.rules._children import check_children
from schema.rules._contraception import check_contraception
from schema.rules._dates import check_certificate, check_future, check_order
from schema.rules._employer import check_employer
from schema.rules._frame import Frame, Record
from schema.rules._identity import check_identity
from schema.rules._marriage import check_marriage
from schema.rules._region_codes import check_regions
from schema.rules._text import check_text

_CHECKS: tuple[Callable[[Record, Frame, list[Issue]], None], ...] = (
    check_identity,
    check_regions,
    check_marriage,
    check_children,
    check_contraception,
    check_certificate,
    check_employer,
    check_future,
    check_order,
    check_text,
)


def check_record(record: Record, *, today: dt.date) -> list[Issue]:
    """Every logic rule of a bare record, judged on ``today``.

    Region codes must be in force in today's year and no date may lie after today. Paths are
    relative to the record (``idNumber``, ``children[1].birthDate``).
    """
    out: list[Issue] = []
    run_record_rules(record, Frame("", today, today.year), out)
    return out


def run_record_rules(record: Record, frame: Frame, out: list[Issue]) -> None:
    """Append the findings of every record rule to ``out``."""
    for check in _CHECKS:
        check(record, frame, out)
