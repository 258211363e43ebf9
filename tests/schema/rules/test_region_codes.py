"""region.unknown for the region fields of a record."""

import pytest

from schema.rules import check_record, check_report

from ._build import TODAY, VERSIONS, found, record, record_data, report


@pytest.mark.parametrize("version", VERSIONS)
def test_unknown_hukou_and_residence(version: str) -> None:
    issues = check_record(
        record(version, hukouRegion="419999", residenceRegion="419998"), today=TODAY
    )
    assert found(issues) == [
        ("region.unknown", "error", "hukouRegion"),
        ("region.unknown", "error", "residenceRegion"),
    ]
    assert "419999" in issues[0].message_zh


@pytest.mark.parametrize("version", VERSIONS)
def test_residence_must_be_in_force_today(version: str) -> None:
    # 410107 新密区 was in force 1983-1987 only.
    issues = check_record(record(version, residenceRegion="410107"), today=TODAY)
    assert found(issues) == [("region.unknown", "error", "residenceRegion")]
    assert "2010" in issues[0].message_en


@pytest.mark.parametrize("version", VERSIONS)
def test_hukou_judged_in_the_year_of_the_effective_date(version: str) -> None:
    # 410123 新郑县 was in force 1983-1994.
    in_force = report(version, {"hukouRegion": "410123"}, effectiveDate="1994-06-01")
    retired = report(version, {"hukouRegion": "410123"}, effectiveDate="1995-06-01")
    assert found(check_report(in_force), "region.unknown") == []
    assert found(check_report(retired), "region.unknown") == [
        ("region.unknown", "error", "record.hukouRegion"),
    ]


@pytest.mark.parametrize("version", VERSIONS)
def test_certificate_region_need_only_exist(version: str) -> None:
    certificate = record_data(version)["certificate"]
    old = check_record(
        record(version, certificate={**certificate, "issuingRegion": "410107"}), today=TODAY
    )
    unknown = check_record(
        record(version, certificate={**certificate, "issuingRegion": "419999"}), today=TODAY
    )
    assert found(old) == []
    assert found(unknown) == [("region.unknown", "error", "certificate.issuingRegion")]


def test_birth_registration_region_v2() -> None:
    registration = record_data("2")["birthRegistration"]
    good = record("2", birthRegistration={**registration, "registeringRegion": "410102"})
    bad = record("2", birthRegistration={**registration, "registeringRegion": "419999"})
    assert found(check_record(good, today=TODAY)) == []
    assert found(check_record(bad, today=TODAY)) == [
        ("region.unknown", "error", "birthRegistration.registeringRegion"),
    ]


@pytest.mark.parametrize("version", VERSIONS)
def test_reporting_unit_region_must_exist(version: str) -> None:
    good = report(version, reportingUnit={"region": "410100", "department": "GA"})
    bad = report(version, reportingUnit={"region": "419999", "department": "GA"})
    assert check_report(good) == []
    assert found(check_report(bad)) == [("region.unknown", "error", "reportingUnit.region")]
