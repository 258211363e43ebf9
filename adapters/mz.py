"""Civil affairs (民政, ``MZ``): marriage, divorce and remarriage registrations.

Export: ``婚姻登记数据.xml`` from the marriage registration system, declared **GB18030** (or
UTF-8), streamed record by record. Layout::

    <婚姻登记数据 机关代码="410102" 机关名称="郑州市中原区民政局婚姻登记处" 导出日期="2010-04-08">
      <登记记录>
        <登记证号>J410102-2010-000318</登记证号>      → source.recordNumber
        <业务类型>结婚登记</业务类型>                  结婚登记 | 离婚登记 | 复婚登记
        <登记日期>2010年4月2日</登记日期>              any of the usual date forms
        <男方>
          <姓名>李建国</姓名>
          <身份证件号>411622830105451</身份证件号>   18 characters, or 15 digits (legacy)
          <出生日期>1983-01-05</出生日期>            optional: else read from the ID number
          <婚前状况>未婚</婚前状况>                   未婚 | 离婚 | 丧偶 (marriages only)
        </男方>
        <女方>…the same…</女方>
      </登记记录>
    </婚姻登记数据>

Each record makes one ``MARITAL_CHANGE`` notice per party, effective on 登记日期, at the
office ``机关代码``: a marriage gives maritalStatus 21 (first marriage) or 22 (remarriage,
after 离婚 or 丧偶) with the marriageDate and the other party as spouse; a remarriage to the
former spouse (复婚) gives 23; a divorce gives 40. A row number is the line of ``<登记记录>``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, BinaryIO

from adapters import _values as v
from adapters._protocol import NoticeDraft, Row
from adapters._xml import XmlExport, XmlLayout
from adapters.errors import RowRefused
from schema.codes import ChangeType, Department

LAYOUT = XmlLayout(root="婚姻登记数据", record="登记记录")
_PARTIES = (("男方", "1"), ("女方", "2"))
_KINDS = ("结婚登记", "离婚登记", "复婚登记")
_BEFORE = {"未婚": "21", "初婚": "21", "离婚": "22", "丧偶": "22"}


def _columns(party: str, other: str) -> dict[str, str]:
    return {
        "subject.idNumber": f"{party}/身份证件号", "subject.name": f"{party}/姓名",
        "record.birthDate": f"{party}/出生日期", "record.sex": f"{party}/身份证件号",
        "record.maritalStatus": f"{party}/婚前状况", "record.marriageDate": "登记日期",
        "record.spouse": f"{other}/身份证件号", "effectiveDate": "登记日期",
        "region": "@机关代码", "source.recordNumber": "登记证号",
    }


_COLUMNS = {party: _columns(party, other) for (party, _), (other, _) in
            zip(_PARTIES, reversed(_PARTIES), strict=True)}


class MarriageRegistrationAdapter:
    """婚姻登记 XML → MARITAL_CHANGE notices for both parties."""

    name = "mz"
    department = Department.MZ
    title_zh = "民政 婚姻登记（结婚、离婚、复婚）"
    title_en = "civil affairs: marriage, divorce and remarriage registrations"
    suffix = ".xml"

    def open(self, stream: BinaryIO, file: str) -> XmlExport:
        return XmlExport(stream, file, LAYOUT)

    def notices(self, row: Row) -> Sequence[NoticeDraft]:
        values = row.values
        kind = v.required(values.get("业务类型", ""), "业务类型")
        if kind not in _KINDS:
            raise RowRefused("row.code", "业务类型", f"业务类型“{kind}”无法识别",
                             f"registration type {kind!r} is not one of {', '.join(_KINDS)}")
        registered = v.date(values.get("登记日期", ""), "登记日期")
        region = v.region(values.get("@机关代码", ""), "@机关代码")
        parties = [_party(values, party, sex) for party, sex in _PARTIES]
        drafts = []
        for (party, sex), (number, name, birth), other in zip(
                _PARTIES, parties, reversed(parties), strict=True):
            record: dict[str, Any] = {"sex": sex}
            if birth:
                record["birthDate"] = birth
            if kind == "离婚登记":
                record["maritalStatus"] = "40"
            else:
                record["maritalStatus"] = "23" if kind == "复婚登记" else _before(values, party)
                record["marriageDate"] = registered
                record["spouse"] = {"idNumber": other[0], "name": other[1]}
            drafts.append(NoticeDraft(ChangeType.MARITAL_CHANGE, registered, region,
                                      (number, name), record,
                                      values.get("登记证号", "")[:50] or None, _COLUMNS[party]))
        return drafts


def _party(values: Mapping[str, str], party: str, sex: str
           ) -> tuple[str, str, dt.date | None]:
    number = v.id_number(values.get(f"{party}/身份证件号", ""), f"{party}/身份证件号")
    name = v.text(values.get(f"{party}/姓名", ""), f"{party}/姓名", 50)
    birth = v.optional_date(values.get(f"{party}/出生日期", ""), f"{party}/出生日期")
    return number, name, birth or v.birth_date_of(number)


def _before(values: Mapping[str, str], party: str) -> str:
    column = f"{party}/婚前状况"
    status = v.clean(values.get(column, "")) or "未婚"
    code = _BEFORE.get(status)
    if code is None:
        raise RowRefused("row.code", column, f"婚前状况“{status}”无法识别（未婚/离婚/丧偶）",
                         f"prior status {status!r} is not 未婚, 离婚 or 丧偶")
    return code


adapter = MarriageRegistrationAdapter()
