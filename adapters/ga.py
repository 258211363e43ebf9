"""Public security (公安, ``GA``): temporary residence registrations (暂住登记) and their
cancellations.

Export: ``暂住人口登记信息.csv`` from the police population system, one row per registration,
**GB18030** without a BOM (UTF-8 with a BOM is read too), comma-separated, Chinese header on
the first line (a title line above it is skipped). Columns:

| column | required | content |
|---|---|---|
| 登记编号 | no | the police registration number → ``source.recordNumber`` |
| 登记类型 | yes | 暂住登记 → ``INFLOW``; 变更登记 → ``RESIDENCE_CHANGE``; 注销登记 → ``OUTFLOW`` |
| 姓名 | yes | name |
| 性别 | yes | 男 / 女 (or 1 / 2) |
| 民族 | no | 汉族, 回族… or the GB/T 3304 code |
| 婚姻状况 | no | the GB/T 2261.2 code or its word: 未婚 10, 已婚 (有配偶) 20, 初婚 21,
  再婚 22, 复婚 23, 丧偶 30, 离婚 (离异) 40, 未说明 90; INFLOW only, see below |
| 出生日期 | yes | any of the usual date forms |
| 公民身份号码 | yes | 18 characters, or 15 digits (legacy, upgraded) |
| 户籍地行政区划 | no | six digits |
| 户籍地详址 | no | text |
| 暂住地行政区划 | yes | six digits |
| 暂住地详址 | yes | text |
| 来本地日期 | no | arrival; an INFLOW's effectiveDate (else 登记日期) |
| 登记日期 | yes | date of the registration |
| 注销日期 | no | an OUTFLOW's departure date (else 登记日期) |
| 联系电话 | no | text |
| 登记单位代码 | yes | the police station's 12-digit unit code: its first six digits are
  the notice's region |
| 登记单位 | no | the station's name |

Dates come as ``2010-04-07``, ``2010/4/7``, ``2010.4.7``, ``20100407`` or ``2010年4月7日``;
digits and spaces may be full-width.

An INFLOW row's 民族 and 婚姻状况 go on its notice (a change or cancellation row ignores them).
Its 婚姻状况 is always checked, but only 10 (unmarried), 30 (widowed) and 40 (divorced) go
on the notice as ``record.maritalStatus``: the police know no marriage date, and a married status
(20–23) without one breaks ``marriage.date-missing``, which would refuse the whole row; 90
states nothing. So a full registration of an unknown migrant who is unmarried, widowed or
divorced opens a record at the gateway, and one of a married migrant waits as a pending item
(``unknown-person``) for a clerk to verify. On a known person's record, 10, 30 and 40 replace
the marital status like any notice's field; a married status changes nothing there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, BinaryIO

from adapters import _values as v
from adapters._csv import CsvExport, CsvLayout
from adapters._protocol import NoticeDraft, Row
from adapters.errors import RowRefused
from schema.codes import ChangeType, Department, MaritalStatus

LAYOUT = CsvLayout(
    required=("登记类型", "姓名", "性别", "出生日期", "公民身份号码", "暂住地行政区划",
              "暂住地详址", "登记日期", "登记单位代码"),
    optional=("登记编号", "民族", "婚姻状况", "户籍地行政区划", "户籍地详址", "来本地日期",
              "注销日期", "联系电话", "登记单位"),
)
_KINDS = {"暂住登记": ChangeType.INFLOW, "变更登记": ChangeType.RESIDENCE_CHANGE,
          "注销登记": ChangeType.OUTFLOW}
COLUMNS = {
    "subject.idNumber": "公民身份号码", "subject.name": "姓名", "region": "登记单位代码",
    "record.sex": "性别", "record.birthDate": "出生日期", "record.ethnicity": "民族",
    "record.maritalStatus": "婚姻状况",
    "record.hukouRegion": "户籍地行政区划", "record.hukouAddress": "户籍地详址",
    "record.residenceRegion": "暂住地行政区划", "record.residenceAddress": "暂住地详址",
    "record.inflowDate": "来本地日期", "record.outflowDate": "注销日期",
    "record.phone": "联系电话", "effectiveDate": "登记日期",
    "source.recordNumber": "登记编号",
}
#: GB/T 2261.2: the codes, their labels and the words clerks write for them.
_MARITAL = {status.value: status.value for status in MaritalStatus} | {
    status.label_zh: status.value for status in MaritalStatus} | {
    "有配偶": "20", "离异": "40", "未说明": "90"}
#: The statuses a police registration's notice carries (see above).
_CARRIED = frozenset({"10", "30", "40"})


class TemporaryResidenceAdapter:
    """暂住登记 CSV → INFLOW, RESIDENCE_CHANGE and OUTFLOW notices."""

    name = "ga"
    department = Department.GA
    title_zh = "公安 暂住登记及注销"
    title_en = "public security: temporary residence registrations and cancellations"
    suffix = ".csv"

    def open(self, stream: BinaryIO, file: str) -> CsvExport:
        return CsvExport(stream, file, LAYOUT)

    def notices(self, row: Row) -> Sequence[NoticeDraft]:
        values = row.values
        kind = v.required(values["登记类型"], "登记类型")
        change = _KINDS.get(kind)
        if change is None:
            raise RowRefused("row.code", "登记类型", f"登记类型“{kind}”无法识别",
                             f"registration type {kind!r} is not one of {', '.join(_KINDS)}")
        registered = v.date(values["登记日期"], "登记日期")
        record: dict[str, Any] = {
            "sex": v.sex(values["性别"], "性别"),
            "birthDate": v.date(values["出生日期"], "出生日期"),
        }
        effective = registered
        if change is ChangeType.INFLOW:
            _residence(values, record, hukou=True)
            effective = v.optional_date(values.get("来本地日期", ""), "来本地日期") or registered
            record["inflowDate"] = effective
        elif change is ChangeType.RESIDENCE_CHANGE:
            _residence(values, record, hukou=False)
        else:
            effective = v.optional_date(values.get("注销日期", ""), "注销日期") or registered
            record["outflowDate"] = effective
        phone = v.optional_text(values.get("联系电话", ""), "联系电话", 20)
        if phone:
            record["phone"] = phone
        return [NoticeDraft(
            change, effective, v.region(values["登记单位代码"], "登记单位代码"),
            (v.id_number(values["公民身份号码"], "公民身份号码"),
             v.text(values["姓名"], "姓名", 50)),
            record, values.get("登记编号", "")[:50] or None, COLUMNS,
        )]


def _residence(values: Any, record: dict[str, Any], *, hukou: bool) -> None:
    if hukou:
        ethnicity = v.ethnicity(values.get("民族", ""), "民族")
        if ethnicity:
            record["ethnicity"] = ethnicity
        status = _marital_status(values.get("婚姻状况", ""), "婚姻状况")
        if status in _CARRIED:
            record["maritalStatus"] = status
        if values.get("户籍地行政区划"):
            record["hukouRegion"] = v.region(values["户籍地行政区划"], "户籍地行政区划")
        address = v.optional_text(values.get("户籍地详址", ""), "户籍地详址", 200)
        if address:
            record["hukouAddress"] = address
    record["residenceRegion"] = v.region(values["暂住地行政区划"], "暂住地行政区划")
    record["residenceAddress"] = v.text(values["暂住地详址"], "暂住地详址", 200)


def _marital_status(value: str, column: str) -> str | None:
    """The GB/T 2261.2 code from the code or a word (未婚, 已婚, 离异…); None when blank."""
    if not value:
        return None
    code = _MARITAL.get(value)
    if code is None:
        raise RowRefused("row.code", column, f"婚姻状况“{value}”不在 GB/T 2261.2 中",
                         f"marital status {value!r} is not in GB/T 2261.2")
    return code


adapter = TemporaryResidenceAdapter()
