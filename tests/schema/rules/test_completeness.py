"""completeness: the share of the applicable optional fields that are filled."""

import pytest

from schema.rules import completeness

from ._build import MAN_ID, VERSIONS, child, record


@pytest.mark.parametrize("version", VERSIONS)
def test_full_record(version: str) -> None:
    assert completeness(record(version)) == 1.0


def test_v1_married_woman_counts_ten_fields() -> None:
    # 6 always + marriageDate, spouse, contraception + certificate
    assert completeness(record("1", phone=None)) == pytest.approx(9 / 10)
    assert completeness(record("1", phone=None, certificate=None)) == pytest.approx(8 / 10)


def test_v2_counts_no_certificate_and_birth_registration_only_after_2016() -> None:
    # children born before 2016: 6 always + 3 marriage fields
    assert completeness(record("2", certificate=None, birthRegistration=None)) == 1.0
    assert completeness(record("2", phone=None)) == pytest.approx(8 / 9)
    late = [child("2009-06-01", 1), child("2017-02-03", 2)]
    assert completeness(record("2", children=late, birthRegistration=None)) == pytest.approx(9 / 10)
    assert completeness(record("2", children=late)) == 1.0


@pytest.mark.parametrize("version", VERSIONS)
def test_marriage_fields_apply_only_when_married(version: str) -> None:
    single = record(
        version,
        maritalStatus="10",
        marriageDate=None,
        spouse=None,
        contraception=None,
        children=None,
        certificate=None,
    )
    if version == "1":  # a woman's record counts the certificate
        assert completeness(single) == pytest.approx(6 / 7)
    else:
        assert completeness(single) == 1.0


def test_v1_certificate_applies_to_women_only() -> None:
    man = record(
        "1",
        idNumber=MAN_ID,
        sex="1",
        birthDate="1983-07-01",
        contraception={"method": "01", "since": "2009-09-01"},
        certificate=None,
    )
    assert completeness(man) == 1.0


@pytest.mark.parametrize("version", VERSIONS)
def test_outflow_date_and_children_never_count(version: str) -> None:
    base = completeness(record(version))
    assert completeness(record(version, outflowDate="2010-04-01")) == base
    assert completeness(record(version, children=None)) == base


@pytest.mark.parametrize("version", VERSIONS)
def test_empty_record(version: str) -> None:
    optional = (
        "ethnicity",
        "education",
        "hukouAddress",
        "inflowDate",
        "marriageDate",
        "spouse",
        "children",
        "contraception",
        "certificate",
        "birthRegistration",
        "employer",
        "phone",
    )
    bare = record(version, maritalStatus="90", **dict.fromkeys(optional))
    assert completeness(bare) == 0.0
