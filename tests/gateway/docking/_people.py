"""The people of the department samples (fixtures/departments) as records a node holds
before docking: Zhoukou migrants in Zhengzhou's Zhongyuan district, spring 2010."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from schema.models import v2

CST = dt.timezone(dt.timedelta(hours=8))
DEPARTMENTS = Path(__file__).resolve().parents[3] / "fixtures" / "departments"
ADAPTERS = ["ga", "mz", "ws", "rs", "jy", "gs", "fg"]

WANG, LI, ZHANG, LIU = ("411622198503124529", "411622198301054518", "411621198802161534",
                        "41162319900712108X")
SUN, QIAN, WU, ZHENG, ZHOU = ("411602198005112116", "411602198209032249",
                              "411623197906281176", "411623198103091285", "410105198401173069")
#: Migrants the node does not know, registered by the police sample: 何晓燕 (unmarried) and
#: 杨军 (married).
HE, YANG = "411625199110232469", "411627198307152137"


def _person(id_number: str, name: str, sex: str, birth: str, hukou: str, address: str,
            **more: Any) -> dict[str, Any]:
    return {"idNumber": id_number, "name": name, "sex": sex, "birthDate": birth,
            "hukouRegion": hukou, "residenceRegion": "410102", "residenceAddress": address,
            "inflowDate": "2010-03-01", **more}


PEOPLE: dict[str, dict[str, Any]] = {p["idNumber"]: p for p in [
    _person(WANG, "王秀英", "2", "1985-03-12", "411622", "郑州市中原区建设路1号",
            maritalStatus="20", marriageDate="2008-05-01",
            spouse={"idNumber": LI, "name": "李建国"}),
    _person(LI, "李建国", "1", "1983-01-05", "411622", "郑州市中原区建设路1号",
            maritalStatus="20", marriageDate="2008-05-01",
            spouse={"idNumber": WANG, "name": "王秀英"}),
    _person(ZHANG, "张伟", "1", "1988-02-16", "411621", "郑州市中原区桐柏路1号",
            maritalStatus="10"),
    _person(LIU, "刘芳", "2", "1990-07-12", "411623", "郑州市中原区伏牛路1号",
            maritalStatus="10"),
    _person(SUN, "孙强", "1", "1980-05-11", "411602", "郑州市中原区淮河路1号",
            maritalStatus="20", marriageDate="2005-06-01",
            spouse={"idNumber": QIAN, "name": "钱丽"}),
    _person(QIAN, "钱丽", "2", "1982-09-03", "411602", "郑州市中原区淮河路1号",
            maritalStatus="20", marriageDate="2005-06-01",
            spouse={"idNumber": SUN, "name": "孙强"}),
    _person(WU, "吴刚", "1", "1979-06-28", "411623", "郑州市中原区嵩山路1号",
            maritalStatus="40"),
    _person(ZHENG, "郑红", "2", "1981-03-09", "411623", "郑州市中原区嵩山路1号",
            maritalStatus="40"),
    _person(ZHOU, "周敏", "2", "1984-01-17", "410105", "郑州市中原区建设西路12号",
            maritalStatus="10"),
]}


#: 杨军 as the province knows him: the record it sends Zhengzhou once asked to assist (协查),
#: after the police registered him there.
ASKED_FOR: dict[str, dict[str, Any]] = {YANG: _person(
    YANG, "杨军", "1", "1983-07-15", "411627", "郑州市中原区工人路1号", maritalStatus="20",
    marriageDate="2008-10-01")}


def seed_report(id_number: str, base_version: int = 0) -> v2.ChangeReport:
    """The INFLOW report that put the person on the books (from the province)."""
    record = v2.PersonRecord.model_validate({**PEOPLE, **ASKED_FOR}[id_number])
    return v2.ChangeReport(
        report_id=f"SEED-{id_number}", change_type="INFLOW",
        effective_date=dt.date(2010, 3, 1),
        reported_at=dt.datetime(2010, 3, 5, 9, 0, tzinfo=CST),
        reporting_unit=v2.ReportingUnit(region="410000", department="RKJS"),
        base_version=base_version, changed_fields=["inflowDate"], record=record)


def seed_batch(id_numbers: list[str]) -> v2.ChangeReportBatch:
    reports = [seed_report(n) for n in id_numbers]
    return v2.ChangeReportBatch(batch_id=f"SEED-{len(reports)}", period="2010-03",
                                reporting_unit=v2.ReportingUnit(region="410000",
                                                                department="RKJS"),
                                report_count=len(reports), reports=reports)


def sample_export(adapter: str) -> Path:
    return next(p for p in (DEPARTMENTS / adapter).iterdir() if p.name != "expected.json")


def expected_notices(adapter: str) -> list[dict[str, Any]]:
    notices: list[dict[str, Any]] = json.loads(
        (DEPARTMENTS / adapter / "expected.json").read_text(encoding="utf-8"))["notices"]
    return notices


def _digest(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:32]


def notice(change_type: str = "EMPLOYER_CHANGE", id_number: str = WANG, name: str = "王秀英",
           department: str = "RS", notice_id: str | None = None,
           **record: Any) -> dict[str, Any]:
    """A notice document (JSON) about one person."""
    return {"type": "DepartmentNotice", "schemaVersion": "2",
            "noticeId": notice_id or f"{department}-{_digest(change_type, id_number, record)}",
            "department": department, "region": "410102", "changeType": change_type,
            "effectiveDate": "2010-04-01", "source": {"file": "test.csv", "row": 2},
            "subject": {"idNumber": id_number, "name": name}, "record": record}
