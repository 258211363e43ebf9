"""Human resources & social security (人社, ``RS``): employment registrations (就业登记).

Export: ``就业登记.txt``, a **fixed-width** file from the employment service system, GB18030,
one 163-byte record a line (CRLF or LF), no header. Widths are in bytes (a Chinese character
takes two); text is left-aligned and padded with spaces; a 15-digit legacy ID number is
padded to 18.

| field | bytes | content |
|---|---|---|
| 公民身份号码 | 18 | 18 characters, or 15 digits and 3 spaces |
| 姓名 | 20 | name |
| 性别 | 1 | 1 man, 2 woman |
| 出生日期 | 8 | ``YYYYMMDD`` |
| 户口所在地 | 6 | hukou region code (or spaces) |
| 单位名称 | 60 | employer |
| 组织机构代码 | 10 | ``XXXXXXXX-X`` (or 9 characters without the hyphen, or spaces) |
| 统一社会信用代码 | 18 | unified social credit code (or spaces) |
| 用工日期 | 8 | ``YYYYMMDD``: start of employment, the notice's effectiveDate |
| 登记机构代码 | 6 | region of the employment service office |
| 登记日期 | 8 | ``YYYYMMDD`` |

Each record makes one ``EMPLOYER_CHANGE`` notice: the employer, with the person's sex, birth
date and hukou region.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, BinaryIO

from adapters import _values as v
from adapters._fixed import FixedLayout, FixedWidthExport
from adapters._protocol import NoticeDraft, Row
from schema.codes import ChangeType, Department

LAYOUT = FixedLayout((
    ("公民身份号码", 18), ("姓名", 20), ("性别", 1), ("出生日期", 8), ("户口所在地", 6),
    ("单位名称", 60), ("组织机构代码", 10), ("统一社会信用代码", 18), ("用工日期", 8),
    ("登记机构代码", 6), ("登记日期", 8),
))
COLUMNS = {
    "subject.idNumber": "公民身份号码", "subject.name": "姓名", "record.sex": "性别",
    "record.birthDate": "出生日期", "record.hukouRegion": "户口所在地",
    "record.employer.name": "单位名称", "record.employer.orgCode": "组织机构代码",
    "record.employer.creditCode": "统一社会信用代码", "record.employer": "单位名称",
    "effectiveDate": "用工日期", "region": "登记机构代码",
}


class EmploymentRegistrationAdapter:
    """就业登记 fixed-width file → EMPLOYER_CHANGE notices."""

    name = "rs"
    department = Department.RS
    title_zh = "人社 就业登记"
    title_en = "human resources and social security: employment registrations"
    suffix = ".txt"

    def open(self, stream: BinaryIO, file: str) -> FixedWidthExport:
        return FixedWidthExport(stream, file, LAYOUT)

    def notices(self, row: Row) -> Sequence[NoticeDraft]:
        values = row.values
        employer = {"name": v.text(values["单位名称"], "单位名称", 100)}
        employer.update(codes(values["组织机构代码"], values["统一社会信用代码"]))
        record: dict[str, Any] = {"sex": v.sex(values["性别"], "性别"),
                                  "birthDate": v.date(values["出生日期"], "出生日期")}
        if values["户口所在地"]:
            record["hukouRegion"] = v.region(values["户口所在地"], "户口所在地")
        record["employer"] = employer
        return [NoticeDraft(
            ChangeType.EMPLOYER_CHANGE, v.date(values["用工日期"], "用工日期"),
            v.region(values["登记机构代码"], "登记机构代码"),
            (v.id_number(values["公民身份号码"], "公民身份号码"),
             v.text(values["姓名"], "姓名", 50)),
            record, None, COLUMNS,
        )]


def codes(org_code: str, credit_code: str) -> dict[str, str]:
    """orgCode (a missing hyphen put back) and creditCode, where given, upper-cased; the
    schema and the ``employer.code`` rule judge them."""
    found = {}
    org = v.clean(org_code).replace(" ", "").upper()
    if len(org) == 9 and "-" not in org:
        org = f"{org[:8]}-{org[8]}"
    if org:
        found["orgCode"] = org
    credit = v.clean(credit_code).replace(" ", "").upper()
    if credit:
        found["creditCode"] = credit
    return found


adapter = EmploymentRegistrationAdapter()
