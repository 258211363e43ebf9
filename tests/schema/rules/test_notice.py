"""The rules of a department notice: the record rules on a partial record, and report.fields;
and, until ``tests/schema/strategies.py`` knows the type, its JSON and XML round trips."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schema.codes import Department
from schema.jsoncodec import dumps_json, loads_json
from schema.models import v1, v2
from schema.rules import check_notice
from schema.validation import ValidationOptions, validate_path
from schema.xmlcodec import dumps_xml, loads_xml
from tests.schema import strategies as s
from tests.schema.rules._build import MAN_ID, TODAY, WOMAN_ID, id_number

VERSIONS: dict[str, type[v1.DepartmentNotice] | type[v2.DepartmentNotice]] = {
    "1": v1.DepartmentNotice, "2": v2.DepartmentNotice}


def notice(version: str = "2", record: dict[str, Any] | None = None,
           **top: Any) -> v1.DepartmentNotice | v2.DepartmentNotice:
    data: dict[str, Any] = {
        "noticeId": "GA-1", "department": "GA", "region": "410102", "changeType": "INFLOW",
        "effectiveDate": "2010-03-15", "source": {"file": "ga.csv", "row": 3},
        "subject": {"idNumber": WOMAN_ID, "name": "王秀英"},
        "record": {"sex": "2", "birthDate": "1985-03-12", "inflowDate": "2010-03-15",
                   "residenceRegion": "410102"} if record is None else record,
    }
    data.update(top)
    return VERSIONS[version].model_validate(data)


def rules(found: list[Any]) -> list[tuple[str, str]]:
    return [(i.rule, i.path) for i in found]


@pytest.mark.parametrize("version", sorted(VERSIONS))
def test_a_good_notice_passes(version: str) -> None:
    assert check_notice(notice(version), today=TODAY) == []


def test_an_almost_empty_record_is_judged_without_error() -> None:
    bare = notice(record={}, changeType="CORRECTION")
    assert check_notice(bare, today=TODAY) == []


def test_the_subject_is_judged_against_the_record() -> None:
    found = check_notice(notice(subject={"idNumber": MAN_ID, "name": "李"}), today=TODAY)
    assert rules(found) == [("id.birthdate", "subject.idNumber"), ("id.sex", "subject.idNumber")]
    bad = WOMAN_ID[:17] + ("0" if WOMAN_ID[17] != "0" else "1")
    assert rules(check_notice(notice(subject={"idNumber": bad, "name": "王"}), today=TODAY)) == [
        ("id.checksum", "subject.idNumber")]


def test_regions_in_force_at_the_effective_date_and_the_notice_region() -> None:
    found = check_notice(notice(region="990000", record={"hukouRegion": "412722",
                                                         "inflowDate": "2010-03-15"}),
                         today=TODAY)
    assert rules(found) == [("region.unknown", "region"), ("region.unknown", "record.hukouRegion")]


def test_dates_in_the_future_and_out_of_order() -> None:
    found = check_notice(notice(effectiveDate="2010-05-01", record={
        "birthDate": "1985-03-12", "inflowDate": "1980-01-01", "outflowDate": "2010-06-01"}),
        today=TODAY)
    assert rules(found) == [("dates.future", "effectiveDate"),
                            ("dates.future", "record.outflowDate"),
                            ("dates.order", "record.inflowDate")]


@pytest.mark.parametrize(("change", "record", "path"), [
    ("INFLOW", {"sex": "2"}, "record.inflowDate"),
    ("OUTFLOW", {"sex": "2"}, "record.outflowDate"),
    ("BIRTH", {"sex": "2"}, "record.children"),
])
def test_report_fields(change: str, record: dict[str, Any], path: str) -> None:
    assert rules(check_notice(notice(record=record, changeType=change), today=TODAY)) == [
        ("report.fields", path)]


def test_children_before_parent_and_mother_age_but_not_order() -> None:
    child = {"sex": "1", "birthDate": "1999-01-01", "birthOrder": 2}
    found = check_notice(notice(changeType="BIRTH", record={
        "sex": "2", "birthDate": "1985-03-12", "children": [child]}), today=TODAY)
    assert rules(found) == [("child.mother-age", "record.children[0].birthDate")]
    early = {**child, "birthDate": "1980-01-01"}
    found = check_notice(notice(changeType="BIRTH", record={
        "sex": "2", "birthDate": "1985-03-12", "children": [early]}), today=TODAY)
    assert rules(found) == [("child.before-parent", "record.children[0].birthDate")]


def test_marriage_rules_where_the_record_has_what_they_read() -> None:
    young = {"sex": "2", "birthDate": "1985-03-12", "maritalStatus": "21",
             "marriageDate": "2004-01-01"}
    assert rules(check_notice(notice(changeType="MARITAL_CHANGE", record=young),
                              today=TODAY)) == [("marriage.age", "record.marriageDate")]
    missing = {"maritalStatus": "20"}
    assert rules(check_notice(notice(changeType="MARITAL_CHANGE", record=missing),
                              today=TODAY)) == [("marriage.date-missing", "record.marriageDate")]
    no_birth = {"sex": "2", "maritalStatus": "21", "marriageDate": "2010-01-01"}
    assert check_notice(notice(changeType="MARITAL_CHANGE", record=no_birth), today=TODAY) == []


def test_spouse_and_child_numbers_and_employer_codes() -> None:
    child_id = id_number("411622", "2009-06-01", 112)
    found = check_notice(notice(changeType="EMPLOYER_CHANGE", record={
        "spouse": {"idNumber": "411622198302304518", "name": "李"},
        "children": [{"sex": "1", "birthDate": "2009-06-01", "birthOrder": 1,
                      "idNumber": child_id}],
        "employer": {"name": "某公司", "orgCode": "60003734-2"}}), today=TODAY)
    assert rules(found) == [("id.format", "record.spouse.idNumber"),
                            ("id.sex", "record.children[0].idNumber"),
                            ("employer.code", "record.employer.orgCode")]


def test_a_birth_registration_in_the_future() -> None:
    found = check_notice(notice(changeType="BIRTH_REGISTRATION", record={
        "birthRegistration": {"number": "X1", "registeredOn": "2011-01-01",
                              "registeringRegion": "410105"}}), today=TODAY)
    assert rules(found) == [("dates.future", "record.birthRegistration.registeredOn")]


def test_today_defaults_to_today() -> None:
    assert check_notice(notice(effectiveDate=str(dt.date.today() + dt.timedelta(days=2)))) != []


@pytest.mark.parametrize("version", ["1", "2"])
@pytest.mark.parametrize("ext", ["xml", "json"])
def test_validate_path_runs_the_notice_rules(version: str, ext: str, tmp_path: Any) -> None:
    from fixtures.generate import HERE

    sample = HERE / "valid" / f"v{version}" / f"department-notice.{ext}"
    assert validate_path(sample, ValidationOptions(today=TODAY)).valid
    broken = tmp_path / f"notice.{ext}"
    broken.write_bytes(sample.read_bytes().replace(b"410102", b"990000", 1))
    result = validate_path(broken, ValidationOptions(today=TODAY))
    assert [(i.rule, i.path) for i in result.errors] == [("region.unknown", "region")]


# --- the serialisers: parse(serialise(x)) == x -----------------------------------------
# (kept here with the rules until tests/schema/strategies.py knows DepartmentNotice)


@st.composite
def notice_data(draw: st.DrawFn, version: str) -> dict[str, Any]:
    record = draw(s.record_data(version))
    keep = draw(st.sets(st.sampled_from(sorted(record))))
    source = draw(st.fixed_dictionaries(
        {"file": s.text(1, 100), "row": s.ORDERS}, optional={"recordNumber": s.text(1, 50)}))
    return {
        "noticeId": draw(s.TOKENS), "department": draw(st.sampled_from(Department)),
        "region": draw(s.REGIONS), "changeType": draw(st.sampled_from(s.change_types(version))),
        "effectiveDate": draw(s.DATES), "source": source,
        "subject": {"idNumber": draw(s.ID_NUMBERS), "name": draw(s.person_names())},
        "record": {k: v for k, v in record.items() if k in keep},
    }


@pytest.mark.parametrize("version", ["1", "2"])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_notices_round_trip_through_json_and_xml(version: str, data: st.DataObject) -> None:
    document = VERSIONS[version].model_validate(data.draw(notice_data(version)))
    assert loads_json(dumps_json(document)) == document
    assert loads_xml(dumps_xml(document)) == document
    assert loads_xml(dumps_xml(document, encoding="GB18030")) == document
