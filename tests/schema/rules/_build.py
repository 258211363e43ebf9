"""Valid base records and reports (Henan, 2010) to change one field at a time in the tests."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from stdnum.cn import uscc

from schema.identity import id_check_character, org_code_check_character
from schema.issues import Issue
from schema.models import v1, v2

TODAY = dt.date(2010, 4, 7)
VERSIONS = ("1", "2")


def id_number(region: str, birth: str, sequence: int) -> str:
    """A valid number: the sequence's last digit is odd for men, even for women."""
    first17 = f"{region}{birth.replace('-', '')}{sequence:03d}"
    return first17 + id_check_character(first17)


def org_code(body: str) -> str:
    return f"{body}-{org_code_check_character(body)}"


def credit_code(org: str, prefix: str = "91410100") -> str:
    """A credit code embedding the organisation code ``org`` (``XXXXXXXX-X``)."""
    first17 = prefix + org.replace("-", "")
    return first17 + uscc.calc_check_digit(first17 + "0")


ORG_CODE = org_code("41710000")
WOMAN_ID = id_number("411622", "1985-03-12", 122)
MAN_ID = id_number("411622", "1983-07-01", 131)
CHILD_ID = id_number("411622", "2009-06-01", 111)

_BASE: dict[str, Any] = {
    "idNumber": WOMAN_ID,
    "name": "王秀英",
    "sex": "2",
    "birthDate": "1985-03-12",
    "ethnicity": "01",
    "education": "31",
    "hukouRegion": "411622",
    "hukouAddress": "河南省周口市西华县东关村12号",
    "residenceRegion": "410102",
    "residenceAddress": "郑州市中原区建设路88号院3号楼",
    "inflowDate": "2010-03-05",
    "maritalStatus": "20",
    "marriageDate": "2008-10-01",
    "spouse": {"idNumber": MAN_ID, "name": "李建国"},
    "children": [
        {
            "name": "李明",
            "sex": "1",
            "birthDate": "2009-06-01",
            "birthOrder": 1,
            "idNumber": CHILD_ID,
        },
    ],
    "contraception": {"method": "03", "since": "2009-09-01"},
    "certificate": {
        "number": "豫西华2010第0123号",
        "issuingRegion": "411622",
        "issueDate": "2010-02-01",
        "expiryDate": "2013-02-01",
    },
    "employer": {"name": "郑州市中原区建设路百货商店", "orgCode": ORG_CODE},
    "phone": "13803710000",
}
_V2_EXTRA: dict[str, Any] = {
    "birthRegistration": {
        "number": "豫生登2010-0456",
        "registeredOn": "2009-01-10",
        "registeringRegion": "411622",
    },
}


def record_data(version: str, **changes: Any) -> dict[str, Any]:
    """The base record as wire data; a change to None removes the key."""
    data = copy.deepcopy(_BASE)
    if version == "2":
        data.update(copy.deepcopy(_V2_EXTRA))
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def record(version: str, **changes: Any) -> v1.PersonRecord | v2.PersonRecord:
    model = v1.PersonRecord if version == "1" else v2.PersonRecord
    return model.model_validate(record_data(version, **changes))


def report(
    version: str, record_changes: dict[str, Any] | None = None, **changes: Any
) -> v1.ChangeReport | v2.ChangeReport:
    data: dict[str, Any] = {
        "reportId": "R410102-2010-04-0001",
        "changeType": "INFLOW",
        "effectiveDate": "2010-03-05",
        "reportedAt": "2010-04-07T09:30:00+08:00",
        "reportingUnit": {"region": "410102", "department": "RKJS"},
        "record": record_data(version, **(record_changes or {})),
    }
    data.update(changes)
    model = v1.ChangeReport if version == "1" else v2.ChangeReport
    return model.model_validate(data)


def found(issues: list[Issue], rule: str | None = None) -> list[tuple[str, str, str]]:
    """(rule, severity, path) of each issue, of one rule when given."""
    return [(i.rule, i.severity.value, i.path) for i in issues if rule in (None, i.rule)]


def child(birth: str, order: int, sex: str = "1", **extra: Any) -> dict[str, Any]:
    return {"sex": sex, "birthDate": birth, "birthOrder": order, **extra}
