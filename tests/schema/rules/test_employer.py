"""employer.code: orgCode (both versions) and creditCode (version 2)."""

import pytest

from schema.rules import check_record

from ._build import ORG_CODE, TODAY, VERSIONS, credit_code, found, org_code, record

NAME = "郑州市中原区建设路百货商店"
BAD_ORG = ORG_CODE[:9] + ("0" if ORG_CODE[9] != "0" else "1")


def _employer(version: str, **codes: str) -> list[tuple[str, str, str]]:
    issues = check_record(record(version, employer={"name": NAME, **codes}), today=TODAY)
    return found(issues)


@pytest.mark.parametrize("version", VERSIONS)
def test_org_code_check_character(version: str) -> None:
    assert _employer(version, orgCode=ORG_CODE) == []
    assert _employer(version, orgCode=BAD_ORG) == [
        ("employer.code", "error", "employer.orgCode"),
    ]


@pytest.mark.parametrize("version", VERSIONS)
def test_employer_without_codes(version: str) -> None:
    assert _employer(version) == []


def test_credit_code_check_character() -> None:
    good = credit_code(ORG_CODE)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    assert _employer("2", creditCode=good) == []
    assert _employer("2", creditCode=bad) == [("employer.code", "error", "employer.creditCode")]


def test_credit_code_must_embed_a_valid_org_code() -> None:
    assert _employer("2", creditCode=credit_code(BAD_ORG)) == [
        ("employer.code", "error", "employer.creditCode"),
    ]


def test_org_code_and_credit_code_must_agree() -> None:
    other = org_code("41710001")
    assert _employer("2", orgCode=ORG_CODE, creditCode=credit_code(ORG_CODE)) == []
    assert _employer("2", orgCode=other, creditCode=credit_code(ORG_CODE)) == [
        ("employer.code", "error", "employer.orgCode"),
    ]


def test_disagreement_not_judged_when_a_code_is_already_wrong() -> None:
    assert _employer("2", orgCode=BAD_ORG, creditCode=credit_code(ORG_CODE)) == [
        ("employer.code", "error", "employer.orgCode"),
    ]
    assert _employer("2", orgCode=ORG_CODE, creditCode=credit_code(BAD_ORG)) == [
        ("employer.code", "error", "employer.creditCode"),
    ]
