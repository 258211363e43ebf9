"""check_record: every rule together on a bare record."""

import datetime as dt

import pytest

from schema.issues import Severity
from schema.rules import RULES, check_record

from ._build import TODAY, VERSIONS, child, found, record


@pytest.mark.parametrize("version", VERSIONS)
def test_valid_record(version: str) -> None:
    assert check_record(record(version), today=TODAY) == []


@pytest.mark.parametrize("version", VERSIONS)
def test_many_findings_at_once(version: str) -> None:
    changes = {
        "sex": "1",
        "maritalStatus": "21",
        "marriageDate": None,
        "children": [child("2009-06-01", 2)],
        "outflowDate": "2010-01-01",
    }
    issues = check_record(record(version, **changes), today=TODAY)
    assert found(issues) == [
        ("id.sex", "error", "idNumber"),
        ("marriage.date-missing", "error", "marriageDate"),
        ("child.order", "error", "children[0].birthOrder"),
        ("contraception.sex", "error", "contraception.method"),
        ("dates.order", "error", "outflowDate"),
    ]
    for issue in issues:
        assert issue.severity is RULES[issue.rule].severity
        assert issue.message_zh and issue.message_en and issue.line is None


@pytest.mark.parametrize("version", VERSIONS)
def test_today_decides_future_and_region_year(version: str) -> None:
    # On 1 March 2010 the inflow of 5 March lies ahead; in 1986 the codes of 2000 did not exist.
    issues = check_record(record(version), today=dt.date(2010, 3, 1))
    assert found(issues) == [("dates.future", "error", "inflowDate")]
    old = check_record(record(version, residenceRegion="410107"), today=dt.date(2040, 1, 1))
    assert ("region.unknown", "error", "residenceRegion") in found(old)


def test_warnings_are_warnings() -> None:
    issues = check_record(record("1", marriageDate="2004-01-01"), today=TODAY)
    assert [(i.rule, i.severity) for i in issues] == [("marriage.age", Severity.WARNING)]
