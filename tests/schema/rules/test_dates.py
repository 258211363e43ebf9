"""dates.future, dates.order, certificate.dates."""

import pytest

from schema.rules import check_record, check_report

from ._build import TODAY, VERSIONS, child, found, record, record_data, report


@pytest.mark.parametrize("version", VERSIONS)
def test_dates_after_today(version: str) -> None:
    changes = {
        "inflowDate": "2010-04-08",
        "children": [child("2009-06-01", 1), child("2010-05-01", 2)],
        "contraception": {"method": "03", "since": "2011-01-01"},
    }
    issues = check_record(record(version, **changes), today=TODAY)
    assert found(issues, "dates.future") == [
        ("dates.future", "error", "inflowDate"),
        ("dates.future", "error", "contraception.since"),
        ("dates.future", "error", "children[1].birthDate"),
    ]


@pytest.mark.parametrize("version", VERSIONS)
def test_today_itself_is_not_the_future(version: str) -> None:
    issues = check_record(
        record(version, inflowDate="2010-04-07", outflowDate="2010-04-07"), today=TODAY
    )
    assert issues == []


@pytest.mark.parametrize("version", VERSIONS)
def test_future_marriage_outflow_and_certificate(version: str) -> None:
    certificate = {**record_data(version)["certificate"], "issueDate": "2010-05-01"}
    changes = {
        "marriageDate": "2010-06-01",
        "outflowDate": "2010-07-01",
        "certificate": certificate,
    }
    issues = check_record(record(version, **changes), today=TODAY)
    assert found(issues, "dates.future") == [
        ("dates.future", "error", "outflowDate"),
        ("dates.future", "error", "marriageDate"),
        ("dates.future", "error", "certificate.issueDate"),
    ]


def test_future_birth_registration_v2() -> None:
    registration = {**record_data("2")["birthRegistration"], "registeredOn": "2010-04-08"}
    issues = check_record(record("2", birthRegistration=registration), today=TODAY)
    assert found(issues) == [("dates.future", "error", "birthRegistration.registeredOn")]


@pytest.mark.parametrize("version", VERSIONS)
def test_certificate_expiry_lies_ahead(version: str) -> None:
    assert record_data(version)["certificate"]["expiryDate"] > TODAY.isoformat()
    assert check_record(record(version), today=TODAY) == []


@pytest.mark.parametrize("version", VERSIONS)
def test_report_judges_against_reported_at_in_its_own_offset(version: str) -> None:
    # 00:30 on 7 April in Beijing is still 6 April in UTC: the 7th is not the future.
    early = report(
        version,
        {"inflowDate": "2010-04-07"},
        effectiveDate="2010-04-07",
        reportedAt="2010-04-07T00:30:00+08:00",
    )
    assert check_report(early) == []
    # 23:30 on 7 April at -05:00 is already the 8th in UTC: the 8th is still the future.
    late = report(
        version,
        {"inflowDate": "2010-04-08"},
        effectiveDate="2010-04-08",
        reportedAt="2010-04-07T23:30:00-05:00",
    )
    assert found(check_report(late)) == [
        ("dates.future", "error", "effectiveDate"),
        ("dates.future", "error", "record.inflowDate"),
    ]


@pytest.mark.parametrize("version", VERSIONS)
def test_inflow_before_birth(version: str) -> None:
    issues = check_record(record(version, inflowDate="1985-03-11"), today=TODAY)
    assert found(issues, "dates.order") == [("dates.order", "error", "inflowDate")]


@pytest.mark.parametrize("version", VERSIONS)
def test_outflow_before_inflow(version: str) -> None:
    issues = check_record(record(version, outflowDate="2010-03-04"), today=TODAY)
    assert found(issues) == [("dates.order", "error", "outflowDate")]


@pytest.mark.parametrize("version", VERSIONS)
def test_outflow_before_birth_without_inflow(version: str) -> None:
    issues = check_record(record(version, inflowDate=None, outflowDate="1985-03-11"), today=TODAY)
    assert found(issues) == [("dates.order", "error", "outflowDate")]


@pytest.mark.parametrize("version", VERSIONS)
def test_dates_in_order(version: str) -> None:
    same_day = record(
        version, birthDate="1985-03-12", inflowDate="1985-03-12", outflowDate="1985-03-12"
    )
    assert found(check_record(same_day, today=TODAY), "dates.order") == []
    assert check_record(record(version, outflowDate="2010-04-01"), today=TODAY) == []


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("expiry", ["2010-02-01", "2009-02-01"])
def test_certificate_issued_on_or_after_expiry(version: str, expiry: str) -> None:
    certificate = {**record_data(version)["certificate"], "expiryDate": expiry}
    issues = check_record(record(version, certificate=certificate), today=TODAY)
    assert found(issues) == [("certificate.dates", "error", "certificate.expiryDate")]
