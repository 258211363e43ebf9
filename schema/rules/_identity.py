"""Citizen ID number rules: ``id.format``, ``id.checksum``, ``id.birthdate``, ``id.sex``, and
``region.unknown`` for the number's address code.

The person's, the spouse's and every child's number is checked. The spouse has no birthDate
or sex on the record, so only the format, check character and address code are judged there.
When the format fails, nothing else is judged for that number.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from schema.codes import Sex
from schema.identity import id_check_character, id_sex_digit_ok, well_formed_birth_date
from schema.issues import Issue
from schema.regions import region_valid_since
from schema.rules._catalogue import issue
from schema.rules._frame import Frame, Record

# identity.id_region_ok(number) is region_valid_since(number[:6], birth year). It would parse
# the date segment again; asking the table once per (address code, year) pair is ~10x faster.
_existed_since = lru_cache(maxsize=1 << 16)(region_valid_since)


def check_identity(record: Record, frame: Frame, out: list[Issue]) -> None:
    """Check every ID number of the record."""
    prefix = frame.prefix
    check_id(record.id_number, record.birth_date, record.sex, prefix + "idNumber", out)
    spouse = record.spouse
    if spouse is not None and spouse.id_number is not None:
        check_id(spouse.id_number, None, None, prefix + "spouse.idNumber", out)
    for index, child in enumerate(record.children or ()):
        if child.id_number is not None:
            path = f"{prefix}children[{index}].idNumber"
            check_id(child.id_number, child.birth_date, child.sex, path, out)


def check_id(
    number: str, birth: dt.date | None, sex: Sex | None, path: str, out: list[Issue]
) -> None:
    """Check one number against its holder's birthDate and sex, where the record has them."""
    encoded = well_formed_birth_date(number)
    if encoded is None:
        out.append(_format_issue(path))
        return
    expected = id_check_character(number[:17])
    if expected != number[17]:
        out.append(_checksum_issue(expected, path))
    if birth is not None and encoded != birth:
        out.append(_birthdate_issue(encoded, birth, path))
    if sex is not None and not id_sex_digit_ok(number, sex):
        out.append(_sex_issue(sex, path))
    if not _existed_since(number[:6], encoded.year):
        out.append(_address_issue(number[:6], path))


def _format_issue(path: str) -> Issue:
    return issue(
        "id.format",
        path,
        "公民身份号码格式错误：应为 18 位，前 17 位为数字，第 7–14 位为真实日期",
        "malformed citizen ID number: 18 characters, the first 17 digits, "
        "characters 7-14 a real date",
    )


def _checksum_issue(expected: str, path: str) -> Issue:
    return issue(
        "id.checksum",
        path,
        f"公民身份号码校验码错误，应为 {expected}",
        f"wrong check character in the citizen ID number, expected {expected}",
    )


def _birthdate_issue(encoded: dt.date, birth: dt.date, path: str) -> Issue:
    return issue(
        "id.birthdate",
        path,
        f"公民身份号码中的出生日期 {encoded} 与出生日期 {birth} 不一致",
        f"the citizen ID number's date {encoded} differs from the birthDate {birth}",
    )


def _sex_issue(sex: Sex, path: str) -> Issue:
    parity_zh, parity_en = ("奇数", "odd") if sex is Sex.MALE else ("偶数", "even")
    return issue(
        "id.sex",
        path,
        f"公民身份号码第 17 位应为{parity_zh}（性别 {sex.value} {sex.label_zh}）",
        f"the 17th digit of the citizen ID number should be {parity_en} "
        f"(sex {sex.value}, {sex.label_en})",
    )


def _address_issue(code: str, path: str) -> Issue:
    return issue(
        "region.unknown",
        path,
        f"公民身份号码的地址码 {code} 在出生年份及以后均不存在",
        f"the citizen ID number's address code {code} did not exist in or after the birth year",
    )
