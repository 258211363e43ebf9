"""id.format, id.checksum, id.birthdate, id.sex and the ID number's address code."""

import pytest

from schema.rules import check_record

from ._build import CHILD_ID, MAN_ID, TODAY, VERSIONS, WOMAN_ID, child, found, id_number, record

ID_RULES = ("id.format", "id.checksum", "id.birthdate", "id.sex", "region.unknown")


def _wrong_check(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


def _id_issues(version: str, **changes: object) -> list[tuple[str, str, str]]:
    issues = check_record(record(version, **changes), today=TODAY)
    return [f for f in found(issues) if f[0] in ID_RULES]


@pytest.mark.parametrize("version", VERSIONS)
def test_valid_numbers_pass(version: str) -> None:
    assert check_record(record(version), today=TODAY) == []


@pytest.mark.parametrize("version", VERSIONS)
def test_format_needs_a_real_date_and_stops_the_other_checks(version: str) -> None:
    bad = "41162219850230122" + "0"  # 30 February, wrong check character, wrong birthDate
    assert _id_issues(version, idNumber=bad) == [("id.format", "error", "idNumber")]


@pytest.mark.parametrize("version", VERSIONS)
def test_format_of_spouse_and_child_numbers(version: str) -> None:
    spouse = {"idNumber": "411622198313011310", "name": "李建国"}  # month 13
    kid = child("2009-06-01", 1, idNumber="411622200906311110")  # 31 June
    assert _id_issues(version, spouse=spouse, children=[kid]) == [
        ("id.format", "error", "spouse.idNumber"),
        ("id.format", "error", "children[0].idNumber"),
    ]


@pytest.mark.parametrize("version", VERSIONS)
def test_checksum_is_a_warning_and_the_rest_still_runs(version: str) -> None:
    assert _id_issues(version, idNumber=_wrong_check(WOMAN_ID), sex="1") == [
        ("id.checksum", "warning", "idNumber"),
        ("id.sex", "error", "idNumber"),
    ]


@pytest.mark.parametrize("version", VERSIONS)
def test_checksum_of_spouse_and_child(version: str) -> None:
    spouse = {"idNumber": _wrong_check(MAN_ID), "name": "李建国"}
    kid = child("2009-06-01", 1, idNumber=_wrong_check(CHILD_ID))
    assert _id_issues(version, spouse=spouse, children=[kid]) == [
        ("id.checksum", "warning", "spouse.idNumber"),
        ("id.checksum", "warning", "children[0].idNumber"),
    ]


def test_checksum_message_names_the_expected_character_not_the_number() -> None:
    issues = check_record(record("1", idNumber=_wrong_check(WOMAN_ID)), today=TODAY)
    assert WOMAN_ID[17] in issues[0].message_en
    assert WOMAN_ID[:17] not in issues[0].message_zh + issues[0].message_en


@pytest.mark.parametrize("version", VERSIONS)
def test_birthdate_of_person_and_child(version: str) -> None:
    kid = child("2009-06-02", 1, idNumber=CHILD_ID)
    assert _id_issues(version, birthDate="1985-03-13", children=[kid]) == [
        ("id.birthdate", "error", "idNumber"),
        ("id.birthdate", "error", "children[0].idNumber"),
    ]


@pytest.mark.parametrize("version", VERSIONS)
def test_birthdate_of_child_without_number_is_not_judged(version: str) -> None:
    assert _id_issues(version, children=[child("2009-06-02", 1)]) == []


@pytest.mark.parametrize("version", VERSIONS)
def test_sex_digit_of_person_and_child(version: str) -> None:
    kid = child("2009-06-01", 1, sex="2", idNumber=CHILD_ID)
    assert _id_issues(version, sex="1", children=[kid]) == [
        ("id.sex", "error", "idNumber"),
        ("id.sex", "error", "children[0].idNumber"),
    ]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("sex", ["0", "9"])
def test_sex_digit_not_judged_for_unknown_sex(version: str, sex: str) -> None:
    assert _id_issues(version, sex=sex, contraception=None) == []


@pytest.mark.parametrize("version", VERSIONS)
def test_address_code_must_exist_from_the_birth_year_on(version: str) -> None:
    # 410107 新密区 existed 1983-1987 only.
    number = id_number("410107", "1990-05-01", 122)
    assert _id_issues(version, idNumber=number, birthDate="1990-05-01") == [
        ("region.unknown", "error", "idNumber"),
    ]


@pytest.mark.parametrize("version", VERSIONS)
def test_address_code_may_be_newer_than_the_holder(version: str) -> None:
    # 411622 西华县 exists from 2000 on; 410107 existed in 1985.
    spouse = {"idNumber": id_number("410107", "1985-01-01", 131), "name": "李建国"}
    assert WOMAN_ID.startswith("411622")
    assert _id_issues(version, spouse=spouse) == []


@pytest.mark.parametrize("version", VERSIONS)
def test_unknown_address_code_of_spouse(version: str) -> None:
    spouse = {"idNumber": id_number("419999", "1983-07-01", 131), "name": "李建国"}
    assert _id_issues(version, spouse=spouse) == [("region.unknown", "error", "spouse.idNumber")]
