"""The logic rules of a department notice (部门通报), reusing the record rules' ids.

A notice holds a partial record: only the fields the department knows. Each record rule
runs when the fields it needs are there, with these differences:

- the subject's ID number is judged against the record's birthDate and sex, where known;
- hukou and residence codes must be in force in the effectiveDate's year; the notice's
  own ``region`` need only stand in the historical table;
- ``child.order`` is not judged: a department knows the child it registered, not the
  others, so a second child alone on a notice is no gap;
- ``dates.future`` judges the effectiveDate and every past-event date against ``today``
  (a notice has no reportedAt);
- ``report.fields`` holds as for a report: INFLOW has an inflowDate, OUTFLOW an
  outflowDate, BIRTH at least one child.
"""

from __future__ import annotations

import datetime as dt
from typing import TypeAlias, cast

from schema.codes import Sex
from schema.issues import Issue
from schema.models import v1, v2
from schema.rules._catalogue import issue
from schema.rules._contraception import check_contraception
from schema.rules._dates import check_certificate, check_future, check_order, future_issue
from schema.rules._employer import check_employer
from schema.rules._frame import Frame, Record, age_on
from schema.rules._identity import check_id
from schema.rules._marriage import check_marriage
from schema.rules._region_codes import _in_force, _not_in_force, check_region_exists
from schema.rules._report import check_fields
from schema.rules._text import LOST, check_text, lost_issue

Notice: TypeAlias = v1.DepartmentNotice | v2.DepartmentNotice
NoticeRecord: TypeAlias = v1.NoticeRecord | v2.NoticeRecord

_PREFIX = "record."


def check_notice(notice: Notice, *, today: dt.date | None = None) -> list[Issue]:
    """Every logic rule of a department notice, judged on ``today`` (default: today).

    Paths are relative to the notice (``subject.idNumber``, ``record.inflowDate``).
    """
    today = today or dt.date.today()
    record = notice.record
    frame = Frame(_PREFIX, today, notice.effective_date.year)
    out: list[Issue] = []
    if notice.effective_date > today:
        out.append(future_issue("effectiveDate", notice.effective_date, today))
    check_region_exists(notice.region, "region", out)
    _check_ids(notice, out)
    if LOST in notice.subject.name:
        out.append(lost_issue(notice.subject.name, "subject.name"))
    _check_regions(record, frame, out)
    _check_record_rules(record, frame, out)
    check_fields(notice.change_type, notice.record, out)
    return out


def _check_ids(notice: Notice, out: list[Issue]) -> None:
    record = notice.record
    check_id(notice.subject.id_number, record.birth_date, record.sex, "subject.idNumber", out)
    if record.id_number is not None:
        check_id(record.id_number, record.birth_date, record.sex, _PREFIX + "idNumber", out)
    if record.spouse is not None and record.spouse.id_number is not None:
        check_id(record.spouse.id_number, None, None, _PREFIX + "spouse.idNumber", out)
    if record.children:
        for index, child in enumerate(record.children):
            if child.id_number is not None:
                path = f"{_PREFIX}children[{index}].idNumber"
                check_id(child.id_number, child.birth_date, child.sex, path, out)


def _check_regions(record: NoticeRecord, frame: Frame, out: list[Issue]) -> None:
    for path, code in (("hukouRegion", record.hukou_region),
                       ("residenceRegion", record.residence_region)):
        if code is not None and not _in_force(code, frame.year):
            out.append(_not_in_force(code, frame.year, _PREFIX + path))
    if record.certificate is not None:
        check_region_exists(record.certificate.issuing_region,
                            _PREFIX + "certificate.issuingRegion", out)
    if type(record) is v2.NoticeRecord and record.birth_registration is not None:
        registration = record.birth_registration
        check_region_exists(registration.registering_region,
                            _PREFIX + "birthRegistration.registeringRegion", out)
        if registration.registered_on > frame.today:
            out.append(future_issue(_PREFIX + "birthRegistration.registeredOn",
                                    registration.registered_on, frame.today))


def _check_record_rules(record: NoticeRecord, frame: Frame, out: list[Issue]) -> None:
    """The record rules, each where the partial record holds what it reads."""
    # The record rules read only fields a notice record has under the same names and
    # types, optional ones included; the guards keep them off the missing required ones.
    # Each runs only when the record holds what it judges: notices come by the million.
    as_record = cast(Record, record)
    check_text(record, frame, out)
    check_future(as_record, frame, out)
    if record.certificate is not None:
        check_certificate(as_record, frame, out)
    if record.employer is not None:
        check_employer(as_record, frame, out)
    if record.sex is not None and record.contraception is not None:
        check_contraception(as_record, frame, out)
    if record.marital_status is not None and (record.birth_date is not None
                                              or record.marriage_date is None):
        check_marriage(as_record, frame, out)
    if record.birth_date is not None:
        if record.inflow_date is not None or record.outflow_date is not None:
            check_order(as_record, frame, out)
        if record.children:
            _check_children(record, record.birth_date, out)


def _check_children(record: NoticeRecord, birth: dt.date, out: list[Issue]) -> None:
    """``child.before-parent`` and ``child.mother-age``; not ``child.order`` (see above)."""
    for index, child in enumerate(record.children or ()):
        path = f"{_PREFIX}children[{index}].birthDate"
        if child.birth_date <= birth:
            out.append(issue(
                "child.before-parent", path,
                f"子女出生日期 {child.birth_date} 不晚于本人出生日期 {birth}",
                f"the child's birthDate {child.birth_date} is not after the person's {birth}",
            ))
        elif record.sex is Sex.FEMALE and not 15 <= age_on(birth, child.birth_date) <= 49:
            age = age_on(birth, child.birth_date)
            out.append(issue(
                "child.mother-age", path,
                f"生育该子女时母亲 {age} 周岁，不在 15–49 周岁之间",
                f"the mother was {age} at this child's birth, outside 15-49",
            ))


