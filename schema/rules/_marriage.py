"""Marriage rules: ``marriage.date-missing``, ``marriage.unexpected``, ``marriage.age``."""

from __future__ import annotations

from schema.codes import MaritalStatus, Sex
from schema.issues import Issue
from schema.rules._catalogue import issue
from schema.rules._frame import Frame, Record, age_on

#: The legal minimum age at marriage (婚姻法 第六条).
_MINIMUM_AGE = {Sex.MALE: 22, Sex.FEMALE: 20}


def check_marriage(record: Record, frame: Frame, out: list[Issue]) -> None:
    """Check the marital status against the marriage date, the spouse and the age."""
    status = record.marital_status
    if status.is_married and record.marriage_date is None:
        out.append(
            issue(
                "marriage.date-missing",
                frame.prefix + "marriageDate",
                f"婚姻状况为 {status.value} {status.label_zh}，缺少结婚日期",
                f"marital status {status.value} ({status.label_en}) needs a marriageDate",
            )
        )
    elif status is MaritalStatus.UNMARRIED:
        _check_unmarried(record, frame, out)
    _check_age(record, frame, out)


def _check_unmarried(record: Record, frame: Frame, out: list[Issue]) -> None:
    if record.marriage_date is not None:
        out.append(
            issue(
                "marriage.unexpected",
                frame.prefix + "marriageDate",
                "婚姻状况为未婚，却填有结婚日期",
                "marital status 10 (unmarried) but a marriageDate is given",
            )
        )
    if record.spouse is not None:
        out.append(
            issue(
                "marriage.unexpected",
                frame.prefix + "spouse",
                "婚姻状况为未婚，却填有配偶",
                "marital status 10 (unmarried) but a spouse is given",
            )
        )


def _check_age(record: Record, frame: Frame, out: list[Issue]) -> None:
    married = record.marriage_date
    minimum = _MINIMUM_AGE.get(record.sex)
    if married is None or minimum is None:
        return
    age = age_on(record.birth_date, married)
    if age < minimum:
        out.append(
            issue(
                "marriage.age",
                frame.prefix + "marriageDate",
                f"结婚时 {age} 周岁，低于法定婚龄 {minimum} 周岁",
                f"aged {age} at marriage, below the legal minimum of {minimum}",
            )
        )
