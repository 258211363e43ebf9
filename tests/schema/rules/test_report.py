"""check_report (record rules under "record.", report.fields) and check_batch_count."""

import pytest

from schema.issues import Severity
from schema.rules import check_batch_count, check_report

from ._build import VERSIONS, child, found, report


@pytest.mark.parametrize("version", VERSIONS)
def test_valid_report(version: str) -> None:
    assert check_report(report(version)) == []


@pytest.mark.parametrize("version", VERSIONS)
def test_record_issues_are_placed_under_record(version: str) -> None:
    bad = report(
        version, {"maritalStatus": "10", "spouse": None, "sex": "1", "contraception": None}
    )
    issues = check_report(bad)
    assert found(issues) == [
        ("id.sex", "error", "record.idNumber"),
        ("marriage.unexpected", "error", "record.marriageDate"),
    ]
    assert all(i.line is None for i in issues)


@pytest.mark.parametrize("version", VERSIONS)
def test_child_paths_under_record(version: str) -> None:
    bad = report(version, {"children": [child("2009-06-01", 1), child("2008-01-01", 1)]})
    assert found(check_report(bad)) == [("child.order", "error", "record.children[1].birthOrder")]


@pytest.mark.parametrize("version", VERSIONS)
def test_inflow_needs_inflow_date(version: str) -> None:
    assert found(check_report(report(version, {"inflowDate": None}))) == [
        ("report.fields", "error", "record.inflowDate"),
    ]


@pytest.mark.parametrize("version", VERSIONS)
def test_outflow_needs_outflow_date(version: str) -> None:
    without = report(version, changeType="OUTFLOW", effectiveDate="2010-04-01")
    with_date = report(
        version, {"outflowDate": "2010-04-01"}, changeType="OUTFLOW", effectiveDate="2010-04-01"
    )
    assert found(check_report(without)) == [("report.fields", "error", "record.outflowDate")]
    assert check_report(with_date) == []


@pytest.mark.parametrize("version", VERSIONS)
def test_birth_needs_a_child(version: str) -> None:
    without = report(version, {"children": None}, changeType="BIRTH", effectiveDate="2009-06-01")
    with_child = report(version, changeType="BIRTH", effectiveDate="2009-06-01")
    assert found(check_report(without)) == [("report.fields", "error", "record.children")]
    assert check_report(with_child) == []


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("change", ["RETURN", "MARITAL_CHANGE", "CORRECTION", "DEATH"])
def test_other_change_types_need_nothing_more(version: str, change: str) -> None:
    bare = report(version, {"inflowDate": None, "children": None}, changeType=change)
    assert check_report(bare) == []


def test_birth_registration_change_type_v2() -> None:
    assert check_report(report("2", changeType="BIRTH_REGISTRATION")) == []


@pytest.mark.parametrize("version", VERSIONS)
def test_effective_date_after_reported_at(version: str) -> None:
    future = report(version, effectiveDate="2010-04-08")
    assert found(check_report(future)) == [("dates.future", "error", "effectiveDate")]


def test_batch_count() -> None:
    assert check_batch_count(3, 3) == []
    (issue,) = check_batch_count(3, 2)
    assert (issue.rule, issue.severity, issue.path) == (
        "batch.count",
        Severity.ERROR,
        "reportCount",
    )
    assert "3" in issue.message_zh and "2" in issue.message_en
