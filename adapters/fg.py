"""Housing (房管, ``FG``): rental registrations (房屋租赁登记备案).

Export: ``房屋租赁登记备案.csv`` from the housing management system, **UTF-8 with a BOM**
(GB18030 without a BOM is read too), one row per tenancy:

| column | required | content |
|---|---|---|
| 备案编号 | no | the filing number → ``source.recordNumber`` |
| 承租人姓名 | yes | the tenant |
| 承租人证件号码 | yes | 18 characters, or 15 digits (legacy) |
| 房屋坐落 | yes | the rented dwelling's address |
| 房屋所在区划 | yes | its region code |
| 租赁起始日期 | yes | start of the tenancy: the notice's effectiveDate |
| 租赁终止日期 | no | end of the tenancy (not carried) |
| 联系电话 | no | the tenant's telephone |
| 备案机关代码 | yes | region of the housing office |

Each row makes one ``RESIDENCE_CHANGE`` notice on the tenant's record: the new residence, the
sex and birth date read from the ID number, and the telephone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, BinaryIO

from adapters import _values as v
from adapters._csv import CsvExport, CsvLayout
from adapters._protocol import NoticeDraft, Row
from schema.codes import ChangeType, Department

LAYOUT = CsvLayout(
    required=("承租人姓名", "承租人证件号码", "房屋坐落", "房屋所在区划", "租赁起始日期",
              "备案机关代码"),
    optional=("备案编号", "租赁终止日期", "联系电话"),
)
COLUMNS = {
    "subject.idNumber": "承租人证件号码", "subject.name": "承租人姓名",
    "record.sex": "承租人证件号码", "record.birthDate": "承租人证件号码",
    "record.residenceRegion": "房屋所在区划", "record.residenceAddress": "房屋坐落",
    "record.phone": "联系电话", "effectiveDate": "租赁起始日期", "region": "备案机关代码",
    "source.recordNumber": "备案编号",
}


class RentalRegistrationAdapter:
    """房屋租赁登记备案 CSV → RESIDENCE_CHANGE notices."""

    name = "fg"
    department = Department.FG
    title_zh = "房管 房屋租赁登记备案"
    title_en = "housing: rental registrations"
    suffix = ".csv"

    def open(self, stream: BinaryIO, file: str) -> CsvExport:
        return CsvExport(stream, file, LAYOUT)

    def notices(self, row: Row) -> Sequence[NoticeDraft]:
        values = row.values
        number = v.id_number(values["承租人证件号码"], "承租人证件号码")
        record: dict[str, Any] = {
            "sex": v.sex_of(number), "birthDate": v.birth_date_of(number),
            "residenceRegion": v.region(values["房屋所在区划"], "房屋所在区划"),
            "residenceAddress": v.text(values["房屋坐落"], "房屋坐落", 200),
        }
        phone = v.optional_text(values.get("联系电话", ""), "联系电话", 20)
        if phone:
            record["phone"] = phone
        return [NoticeDraft(
            ChangeType.RESIDENCE_CHANGE, v.date(values["租赁起始日期"], "租赁起始日期"),
            v.region(values["备案机关代码"], "备案机关代码"),
            (number, v.text(values["承租人姓名"], "承租人姓名", 50)), record,
            values.get("备案编号", "")[:50] or None, COLUMNS,
        )]


adapter = RentalRegistrationAdapter()
