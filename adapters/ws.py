"""Health (卫生, ``WS``): birth medical certificates (出生医学证明) and newborn vaccination
registrations (新生儿预防接种登记).

Export: ``出生登记.csv`` from the maternal and child health system, **UTF-8 with a BOM** (a
GB18030 file without a BOM is read too), one row per certificate or registration:

| column | required | content |
|---|---|---|
| 登记类别 | yes | 出生医学证明 or 预防接种登记 |
| 证件编号 | no | certificate or vaccination card number → ``source.recordNumber`` |
| 新生儿姓名 | no | the child's name |
| 新生儿性别 | yes | 男 / 女 |
| 出生日期 | yes | the child's date of birth: the notices' effectiveDate |
| 孩次 | yes | the child's birth order (1, 2, …) |
| 母亲姓名, 母亲身份证号 | yes | the mother |
| 父亲姓名, 父亲身份证号 | no | the father (both or neither) |
| 机构所在地代码 | yes | region of the hospital or clinic |
| 签发机构 | no | its name |

Each row makes a ``BIRTH`` notice on the mother's record and, when the father is named, one on
his: the child under ``children``, the other parent as ``spouse``, the parent's sex and birth
date read from the ID number. A certificate and a vaccination registration of the same child
make the same notices (ids come from content), so the second is skipped as a repeat.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, BinaryIO

from adapters import _values as v
from adapters._csv import CsvExport, CsvLayout
from adapters._protocol import NoticeDraft, Row
from adapters.errors import RowRefused
from schema.codes import ChangeType, Department

LAYOUT = CsvLayout(
    required=("登记类别", "新生儿性别", "出生日期", "孩次", "母亲姓名", "母亲身份证号",
              "机构所在地代码"),
    optional=("证件编号", "新生儿姓名", "父亲姓名", "父亲身份证号", "签发机构"),
)
_KINDS = ("出生医学证明", "预防接种登记")
_PARENTS = (("母亲", "2"), ("父亲", "1"))


def _columns(parent: str, other: str) -> dict[str, str]:
    return {"subject.idNumber": f"{parent}身份证号", "subject.name": f"{parent}姓名",
            "record.birthDate": f"{parent}身份证号", "record.sex": f"{parent}身份证号",
            "record.spouse": f"{other}身份证号", "record.children": "出生日期",
            "record.children[0].sex": "新生儿性别", "record.children[0].birthOrder": "孩次",
            "record.children[0].name": "新生儿姓名", "effectiveDate": "出生日期",
            "region": "机构所在地代码", "source.recordNumber": "证件编号"}


_COLUMNS = {"母亲": _columns("母亲", "父亲"), "父亲": _columns("父亲", "母亲")}


class BirthRegistrationAdapter:
    """出生医学证明 / 预防接种登记 CSV → BIRTH notices on both parents' records."""

    name = "ws"
    department = Department.WS
    title_zh = "卫生 出生医学证明及新生儿预防接种登记"
    title_en = "health: birth medical certificates and newborn vaccination registrations"
    suffix = ".csv"

    def open(self, stream: BinaryIO, file: str) -> CsvExport:
        return CsvExport(stream, file, LAYOUT)

    def notices(self, row: Row) -> Sequence[NoticeDraft]:
        values = row.values
        kind = v.required(values["登记类别"], "登记类别")
        if kind not in _KINDS:
            raise RowRefused("row.code", "登记类别", f"登记类别“{kind}”无法识别",
                             f"registration kind {kind!r} is not one of {', '.join(_KINDS)}")
        born = v.date(values["出生日期"], "出生日期")
        child: dict[str, Any] = {"sex": v.sex(values["新生儿性别"], "新生儿性别"),
                                 "birthDate": born, "birthOrder": order(values["孩次"], "孩次")}
        name = v.optional_text(values.get("新生儿姓名", ""), "新生儿姓名", 50)
        if name:
            child = {"name": name, **child}
        region = v.region(values["机构所在地代码"], "机构所在地代码")
        parents = {"母亲": parent(values, "母亲")}
        if values.get("父亲身份证号") or values.get("父亲姓名"):
            parents["父亲"] = parent(values, "父亲")
        drafts = []
        for role, sex in _PARENTS:
            if role not in parents:
                continue
            number, person = parents[role]
            record: dict[str, Any] = {"sex": sex, "birthDate": v.birth_date_of(number),
                                      "children": [child]}
            other = parents.get("父亲" if role == "母亲" else "母亲")
            if other:
                record["spouse"] = {"idNumber": other[0], "name": other[1]}
            drafts.append(NoticeDraft(ChangeType.BIRTH, born, region, (number, person),
                                      record, values.get("证件编号", "")[:50] or None,
                                      _COLUMNS[role]))
        return drafts


def parent(values: Mapping[str, str], role: str) -> tuple[str, str]:
    """The ID number and name of a parent named in ``{role}身份证号`` and ``{role}姓名``."""
    return (v.id_number(values.get(f"{role}身份证号", ""), f"{role}身份证号"),
            v.text(values.get(f"{role}姓名", ""), f"{role}姓名", 50))


def order(value: str, column: str) -> int:
    """A birth order: a whole number from 1."""
    text = v.required(value, column)
    # ASCII digits only: str.isdigit() also takes "²" and "①", which int() refuses, and a
    # number of thousands of digits would pass the int-from-str limit (the standard stops
    # at 2**53 - 1, sixteen digits).
    if not (text.isascii() and text.isdigit()) or len(text) > 16 or int(text) < 1:
        raise RowRefused("row.code", column, f"孩次“{text}”应为从 1 起的整数",
                         f"birth order {text!r} should be a whole number from 1")
    return int(text)


adapter = BirthRegistrationAdapter()
