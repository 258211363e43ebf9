"""Industry & commerce (工商, ``GS``): individual business (个体工商户) and market-stall
(市场摊位) registrations.

Export: ``个体工商户登记.csv`` from the enterprise registration system, **GB18030** without a
BOM (UTF-8 with a BOM is read too), one row per registration:

| column | required | content |
|---|---|---|
| 登记类型 | yes | 个体工商户 or 市场摊位 |
| 注册号 | no | an 18-character credit code (→ ``creditCode``), or an old 15-digit
  registration number (only ``source.recordNumber``) |
| 字号名称 | no | the business name; needed for 个体工商户 |
| 市场名称, 摊位号 | no | the market and stall, for 市场摊位 without a business name |
| 经营者姓名 | yes | the operator |
| 经营者身份证号 | yes | 18 characters, or 15 digits (legacy) |
| 经营场所 | no | address of the business |
| 成立日期 | yes | date of registration: the notice's effectiveDate |
| 登记机关代码 | yes | region of the registering office |

Each row makes one ``EMPLOYER_CHANGE`` notice on the operator's record: the business (or
``<market><stall>号摊位``) as employer, the operator's sex and birth date read from the ID
number.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, BinaryIO

from adapters import _values as v
from adapters._csv import CsvExport, CsvLayout
from adapters._protocol import NoticeDraft, Row
from adapters.errors import RowRefused
from schema.codes import ChangeType, Department

LAYOUT = CsvLayout(
    required=("登记类型", "经营者姓名", "经营者身份证号", "成立日期", "登记机关代码"),
    optional=("注册号", "字号名称", "市场名称", "摊位号", "经营场所"),
)
_KINDS = ("个体工商户", "市场摊位")
COLUMNS = {
    "subject.idNumber": "经营者身份证号", "subject.name": "经营者姓名",
    "record.sex": "经营者身份证号", "record.birthDate": "经营者身份证号",
    "record.employer.name": "字号名称", "record.employer.creditCode": "注册号",
    "record.employer": "字号名称", "effectiveDate": "成立日期", "region": "登记机关代码",
    "source.recordNumber": "注册号",
}


class BusinessRegistrationAdapter:
    """个体工商户 / 市场摊位 CSV → EMPLOYER_CHANGE notices."""

    name = "gs"
    department = Department.GS
    title_zh = "工商 个体工商户及市场摊位登记"
    title_en = "industry and commerce: individual business and market-stall registrations"
    suffix = ".csv"

    def open(self, stream: BinaryIO, file: str) -> CsvExport:
        return CsvExport(stream, file, LAYOUT)

    def notices(self, row: Row) -> Sequence[NoticeDraft]:
        values = row.values
        kind = v.required(values["登记类型"], "登记类型")
        if kind not in _KINDS:
            raise RowRefused("row.code", "登记类型", f"登记类型“{kind}”无法识别",
                             f"registration type {kind!r} is not one of {', '.join(_KINDS)}")
        number = v.id_number(values["经营者身份证号"], "经营者身份证号")
        employer: dict[str, Any] = {"name": _business_name(values, kind)}
        registration = values.get("注册号", "").replace(" ", "").upper()
        if len(registration) == 18:
            employer["creditCode"] = registration
        record = {"sex": v.sex_of(number), "birthDate": v.birth_date_of(number),
                  "employer": employer}
        return [NoticeDraft(
            ChangeType.EMPLOYER_CHANGE, v.date(values["成立日期"], "成立日期"),
            v.region(values["登记机关代码"], "登记机关代码"),
            (number, v.text(values["经营者姓名"], "经营者姓名", 50)), record,
            registration[:50] or None, COLUMNS,
        )]


def _business_name(values: Any, kind: str) -> str:
    if values.get("字号名称"):
        return v.text(values["字号名称"], "字号名称", 100)
    if kind == "市场摊位" and values.get("市场名称") and values.get("摊位号"):
        return v.text(f"{values['市场名称']}{values['摊位号']}号摊位", "市场名称", 100)
    raise RowRefused("row.missing", "字号名称", "字号名称为空（市场摊位须填市场名称和摊位号）",
                     "no business name (a market stall needs the market and stall number)")


adapter = BusinessRegistrationAdapter()
