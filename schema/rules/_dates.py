"""Date rules: ``dates.future``, ``dates.order`` and ``certificate.dates``.

``dates.future`` judges every date that records a past event: birthDate, inflowDate,
outflowDate, marriageDate, each child's birthDate, contraception.since, certificate.issueDate
and birthRegistration.registeredOn. The certificate's expiryDate is meant to lie ahead and is
not judged.
"""

from __future__ import annotations

import datetime as dt

from schema.issues import Issue
from schema.models import v2
from schema.rules._catalogue import issue
from schema.rules._frame import Frame, Record


def check_future(record: Record, frame: Frame, out: list[Issue]) -> None:
    """No past-event date of the record lies after ``frame.today``."""
    today = frame.today
    for path, value in zip(_EVENT_PATHS, _event_dates(record), strict=True):
        if value is not None and value > today:
            out.append(future_issue(frame.prefix + path, value, today))
    for index, child in enumerate(record.children or ()):
        if child.birth_date > today:
            path = f"{frame.prefix}children[{index}].birthDate"
            out.append(future_issue(path, child.birth_date, today))


def future_issue(path: str, value: dt.date, today: dt.date) -> Issue:
    return issue(
        "dates.future",
        path,
        f"日期 {value} 晚于 {today}（填报日期或当天），是未来日期",
        f"{value} lies after {today} (the day of reporting, or today): a future date",
    )


_EVENT_PATHS = ("birthDate", "inflowDate", "outflowDate", "marriageDate", "contraception.since",
                "certificate.issueDate", "birthRegistration.registeredOn")


def _event_dates(record: Record) -> tuple[dt.date | None, ...]:
    """The dates of :data:`_EVENT_PATHS`, in that order."""
    contraception, certificate = record.contraception, record.certificate
    registration = record.birth_registration if isinstance(record, v2.PersonRecord) else None
    return (
        record.birth_date,
        record.inflow_date,
        record.outflow_date,
        record.marriage_date,
        contraception.since if contraception is not None else None,
        certificate.issue_date if certificate is not None else None,
        registration.registered_on if registration is not None else None,
    )


def check_order(record: Record, frame: Frame, out: list[Issue]) -> None:
    """birthDate ≤ inflowDate ≤ outflowDate, where present."""
    birth, inflow, outflow = record.birth_date, record.inflow_date, record.outflow_date
    if inflow is not None and inflow < birth:
        out.append(
            issue(
                "dates.order",
                frame.prefix + "inflowDate",
                f"流入日期 {inflow} 早于出生日期 {birth}",
                f"inflowDate {inflow} is before the birthDate {birth}",
            )
        )
    if outflow is None:
        return
    if inflow is not None and outflow < inflow:
        out.append(
            issue(
                "dates.order",
                frame.prefix + "outflowDate",
                f"流出日期 {outflow} 早于流入日期 {inflow}",
                f"outflowDate {outflow} is before the inflowDate {inflow}",
            )
        )
    elif outflow < birth:
        out.append(
            issue(
                "dates.order",
                frame.prefix + "outflowDate",
                f"流出日期 {outflow} 早于出生日期 {birth}",
                f"outflowDate {outflow} is before the birthDate {birth}",
            )
        )


def check_certificate(record: Record, frame: Frame, out: list[Issue]) -> None:
    """The certificate's issueDate is before its expiryDate."""
    certificate = record.certificate
    if certificate is not None and certificate.issue_date >= certificate.expiry_date:
        out.append(
            issue(
                "certificate.dates",
                frame.prefix + "certificate.expiryDate",
                f"婚育证明有效期至 {certificate.expiry_date}，不晚于发证日期 "
                f"{certificate.issue_date}",
                f"certificate expiryDate {certificate.expiry_date} is not after its issueDate "
                f"{certificate.issue_date}",
            )
        )
