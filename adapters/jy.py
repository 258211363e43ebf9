"""Education (教育, ``JY``): school enrolment of migrant children (随迁子女入学登记).

Export: ``随迁子女入学登记.csv`` from the student registry, **UTF-8 with a BOM** (GB18030
without a BOM is read too), one row per enrolled child:

| column | required | content |
|---|---|---|
| 学籍号 | no | the student number → ``source.recordNumber`` |
| 学生姓名 | yes | the child's name |
| 性别 | yes | 男 / 女 |
| 出生日期 | yes | the child's date of birth |
| 学生身份证号 | no | the child's ID number |
| 家中排行 | yes | the child's birth order (1, 2, …), as the enrolment form asks it |
| 入学日期 | yes | the notices' effectiveDate |
| 学校名称 | no | the school |
| 学校所在地代码 | yes | region of the school |
| 父亲姓名, 父亲身份证号 | no | the father |
| 母亲姓名, 母亲身份证号 | no | the mother (at least one parent is needed) |

Each row makes a ``CORRECTION`` notice on each named parent's record carrying the child's
details under ``children`` (name, sex, birth date, order and ID number), the other parent as
``spouse``: the commission completes or corrects the child's entry on the parents' records.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, BinaryIO

from adapters import _values as v
from adapters._csv import CsvExport, CsvLayout
from adapters._protocol import NoticeDraft, Row
from adapters.errors import RowRefused
from adapters.ws import order, parent
from schema.codes import ChangeType, Department

LAYOUT = CsvLayout(
    required=("学生姓名", "性别", "出生日期", "家中排行", "入学日期", "学校所在地代码"),
    optional=("学籍号", "学生身份证号", "学校名称", "父亲姓名", "父亲身份证号", "母亲姓名",
              "母亲身份证号"),
)
_PARENTS = (("母亲", "2"), ("父亲", "1"))


def _columns(role: str, other: str) -> dict[str, str]:
    return {"subject.idNumber": f"{role}身份证号", "subject.name": f"{role}姓名",
            "record.birthDate": f"{role}身份证号", "record.sex": f"{role}身份证号",
            "record.spouse": f"{other}身份证号", "record.children": "出生日期",
            "record.children[0].idNumber": "学生身份证号",
            "record.children[0].birthOrder": "家中排行", "effectiveDate": "入学日期",
            "region": "学校所在地代码", "source.recordNumber": "学籍号"}


_COLUMNS = {"母亲": _columns("母亲", "父亲"), "父亲": _columns("父亲", "母亲")}


class SchoolEnrolmentAdapter:
    """随迁子女入学登记 CSV → CORRECTION notices with the child on the parents' records."""

    name = "jy"
    department = Department.JY
    title_zh = "教育 随迁子女入学登记"
    title_en = "education: school enrolment of migrant children"
    suffix = ".csv"

    def open(self, stream: BinaryIO, file: str) -> CsvExport:
        return CsvExport(stream, file, LAYOUT)

    def notices(self, row: Row) -> Sequence[NoticeDraft]:
        values = row.values
        child: dict[str, Any] = {
            "name": v.text(values["学生姓名"], "学生姓名", 50),
            "sex": v.sex(values["性别"], "性别"),
            "birthDate": v.date(values["出生日期"], "出生日期"),
            "birthOrder": order(values["家中排行"], "家中排行"),
        }
        if values.get("学生身份证号"):
            child["idNumber"] = v.id_number(values["学生身份证号"], "学生身份证号")
        enrolled = v.date(values["入学日期"], "入学日期")
        region = v.region(values["学校所在地代码"], "学校所在地代码")
        parents = {role: parent(values, role) for role, _ in _PARENTS
                   if values.get(f"{role}身份证号") or values.get(f"{role}姓名")}
        if not parents:
            raise RowRefused("row.missing", "母亲身份证号", "父母均未填写，至少需要一方",
                             "neither parent is given: at least one is needed")
        drafts = []
        for role, sex in _PARENTS:
            if role not in parents:
                continue
            number, name = parents[role]
            record: dict[str, Any] = {"sex": sex, "birthDate": v.birth_date_of(number),
                                      "children": [child]}
            other = parents.get("父亲" if role == "母亲" else "母亲")
            if other:
                record["spouse"] = {"idNumber": other[0], "name": other[1]}
            drafts.append(NoticeDraft(ChangeType.CORRECTION, enrolled, region, (number, name),
                                      record, values.get("学籍号", "")[:50] or None,
                                      _COLUMNS[role]))
        return drafts


adapter = SchoolEnrolmentAdapter()
