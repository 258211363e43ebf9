"""marriage.date-missing, marriage.unexpected, marriage.age."""

import pytest

from schema.rules import check_record

from ._build import MAN_ID, TODAY, VERSIONS, found, record

MARRIAGE_RULES = ("marriage.date-missing", "marriage.unexpected", "marriage.age")


def _marriage(version: str, **changes: object) -> list[tuple[str, str, str]]:
    issues = check_record(record(version, **changes), today=TODAY)
    return [f for f in found(issues) if f[0] in MARRIAGE_RULES]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("status", ["20", "21", "22", "23"])
def test_married_needs_a_marriage_date(version: str, status: str) -> None:
    assert _marriage(version, maritalStatus=status, marriageDate=None) == [
        ("marriage.date-missing", "error", "marriageDate"),
    ]
    assert _marriage(version, maritalStatus=status) == []


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("status", ["30", "40", "90"])
def test_other_statuses_need_no_marriage_date(version: str, status: str) -> None:
    assert _marriage(version, maritalStatus=status, marriageDate=None) == []


@pytest.mark.parametrize("version", VERSIONS)
def test_unmarried_with_marriage_date_and_spouse(version: str) -> None:
    assert _marriage(version, maritalStatus="10") == [
        ("marriage.unexpected", "error", "marriageDate"),
        ("marriage.unexpected", "error", "spouse"),
    ]


@pytest.mark.parametrize("version", VERSIONS)
def test_unmarried_without_either(version: str) -> None:
    assert _marriage(version, maritalStatus="10", marriageDate=None, spouse=None) == []
    assert _marriage(version, maritalStatus="10", spouse=None) == [
        ("marriage.unexpected", "error", "marriageDate"),
    ]


@pytest.mark.parametrize("version", VERSIONS)
def test_woman_married_before_twenty(version: str) -> None:
    assert _marriage(version, marriageDate="2005-03-11") == [
        ("marriage.age", "warning", "marriageDate"),
    ]
    assert _marriage(version, marriageDate="2005-03-12") == []


@pytest.mark.parametrize("version", VERSIONS)
def test_man_married_before_twenty_two(version: str) -> None:
    man = {
        "idNumber": MAN_ID,
        "name": "李建国",
        "sex": "1",
        "birthDate": "1983-07-01",
        "spouse": {"name": "王秀英"},
        "contraception": None,
    }
    assert _marriage(version, **man, marriageDate="2005-06-30") == [
        ("marriage.age", "warning", "marriageDate"),
    ]
    assert _marriage(version, **man, marriageDate="2005-07-01") == []


@pytest.mark.parametrize("version", VERSIONS)
def test_age_not_judged_for_unknown_sex(version: str) -> None:
    assert _marriage(version, sex="9", marriageDate="2000-01-01", contraception=None) == []
