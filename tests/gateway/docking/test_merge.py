"""A record after a notice, per change type; opening a record; changed fields."""

from __future__ import annotations

from typing import Any

from gateway.docking import changed_fields, merge_children, merge_notice, opening_record
from gateway.docking._read import read_notice
from schema.models import v2
from tests.gateway.docking._people import LI, PEOPLE, QIAN, SUN, WANG, ZHANG, ZHOU, notice


def _notice(change_type: str, id_number: str = WANG, name: str = "王秀英",
            department: str = "RS", **record: Any) -> v2.DepartmentNotice:
    made = read_notice(notice(change_type, id_number, name, department, **record))
    assert isinstance(made, v2.DepartmentNotice), made
    return made


def test_marital_change_sets_status_date_and_spouse() -> None:
    before = PEOPLE[ZHANG]
    after = merge_notice(before, _notice(
        "MARITAL_CHANGE", ZHANG, "张伟", "MZ", maritalStatus="21", marriageDate="2010-04-01",
        spouse={"idNumber": "41162319900712108X", "name": "刘芳"}))
    assert after["maritalStatus"] == "21" and after["marriageDate"] == "2010-04-01"
    assert after["spouse"] == {"idNumber": "41162319900712108X", "name": "刘芳"}
    assert changed_fields(before, after) == ["maritalStatus", "marriageDate", "spouse"]


def test_divorce_drops_the_spouse_and_keeps_the_marriage_date() -> None:
    after = merge_notice(PEOPLE[SUN], _notice("MARITAL_CHANGE", SUN, "孙强", "MZ",
                                              maritalStatus="40"))
    assert after["maritalStatus"] == "40" and "spouse" not in after
    assert after["marriageDate"] == "2005-06-01"


def test_birth_appends_the_child_with_the_next_birth_order() -> None:
    before = {**PEOPLE[WANG], "children": [{"name": "李明", "sex": "1",
                                            "birthDate": "2003-09-01", "birthOrder": 1}]}
    after = merge_notice(before, _notice(
        "BIRTH", department="WS", sex="2", birthDate="1985-03-12",
        children=[{"name": "李浩然", "sex": "1", "birthDate": "2010-03-02", "birthOrder": 1}]))
    assert [(c["name"], c["birthOrder"]) for c in after["children"]] == [("李明", 1),
                                                                          ("李浩然", 2)]
    assert changed_fields(before, after) == ["children"]


def test_a_child_already_known_is_completed_not_repeated() -> None:
    known = [{"sex": "1", "birthDate": "2010-03-02", "birthOrder": 1}]
    merged = merge_children(known, [{"name": "李浩然", "sex": "1", "birthDate": "2010-03-02",
                                     "birthOrder": 1, "idNumber": "41010220100302001X"}])
    assert merged == [{"name": "李浩然", "sex": "1", "birthDate": "2010-03-02",
                       "birthOrder": 1, "idNumber": "41010220100302001X"}]


def test_a_child_born_earlier_takes_its_place_in_the_order() -> None:
    known = [{"name": "吴天佑", "sex": "1", "birthDate": "2010-03-05", "birthOrder": 1}]
    merged = merge_children(known, [{"name": "吴佳", "sex": "2", "birthDate": "2004-02-15",
                                     "birthOrder": 2}])
    assert [(c["name"], c["birthOrder"]) for c in merged] == [("吴佳", 1), ("吴天佑", 2)]


TWIN = {"sex": "1", "birthDate": "2010-03-02"}


def test_unnamed_twins_stay_two_in_one_notice_and_in_two() -> None:
    both = merge_children([], [{**TWIN, "birthOrder": 1}, {**TWIN, "birthOrder": 2}])
    assert [c["birthOrder"] for c in both] == [1, 2]
    first = merge_children([], [{**TWIN, "birthOrder": 1}])
    second = merge_children(first, [{**TWIN, "birthOrder": 2}])
    assert len(second) == 2
    again = merge_children(second, [{**TWIN, "birthOrder": 2}])  # the second told again
    assert again == second


def test_a_childs_name_is_compared_as_names_are_matched() -> None:
    known = [{**TWIN, "name": "李浩然", "birthOrder": 1}]
    assert merge_children(known, [{**TWIN, "name": "李 浩然", "birthOrder": 1}]) == known
    assert len(merge_children(known, [{**TWIN, "name": "李浩宇", "birthOrder": 2}])) == 2


def test_a_correction_renames_a_child_known_by_its_id_number() -> None:
    child = {**TWIN, "name": "李浩然", "birthOrder": 1, "idNumber": "41010220100302001X"}
    renamed = {**child, "name": "李昊然"}
    assert merge_children([child], [renamed]) == [child]  # a BIRTH only completes
    assert merge_children([child], [renamed], correct=True) == [renamed]
    before = {**PEOPLE[WANG], "children": [child]}
    after = merge_notice(before, _notice("CORRECTION", department="JY", children=[renamed]))
    assert after["children"] == [renamed]


def test_a_divorced_record_takes_no_spouse_from_another_department() -> None:
    divorced = merge_notice(PEOPLE[SUN], _notice("MARITAL_CHANGE", SUN, "孙强", "MZ",
                                                 maritalStatus="40"))
    after = merge_notice(divorced, _notice(
        "BIRTH", SUN, "孙强", "WS", spouse={"idNumber": QIAN, "name": "钱丽"},
        children=[{"sex": "2", "birthDate": "2010-03-30", "birthOrder": 1}]))
    assert after["maritalStatus"] == "40" and "spouse" not in after


def test_birth_does_not_replace_an_existing_spouse() -> None:
    after = merge_notice(PEOPLE[QIAN], _notice(
        "BIRTH", QIAN, "钱丽", "WS", spouse={"name": "别人"},
        children=[{"sex": "2", "birthDate": "2010-03-30", "birthOrder": 1}]))
    assert after["spouse"] == {"idNumber": SUN, "name": "孙强"}


def test_employer_change_replaces_the_employer() -> None:
    before = {**PEOPLE[LI], "employer": {"name": "旧单位", "orgCode": "60003734-1"}}
    after = merge_notice(before, _notice("EMPLOYER_CHANGE", LI, "李建国",
                                         employer={"name": "郑州市中原区建设路农贸市场A12号摊位"}))
    assert after["employer"] == {"name": "郑州市中原区建设路农贸市场A12号摊位"}


def test_residence_change_replaces_the_residence() -> None:
    after = merge_notice(PEOPLE[WANG], _notice("RESIDENCE_CHANGE", department="FG",
                                               residenceRegion="410105",
                                               residenceAddress="郑州市金水区文化路97号"))
    assert (after["residenceRegion"], after["residenceAddress"]) == ("410105",
                                                                     "郑州市金水区文化路97号")
    assert changed_fields(PEOPLE[WANG], after) == ["residenceRegion", "residenceAddress"]


def test_outflow_sets_the_outflow_date() -> None:
    after = merge_notice(PEOPLE[ZHOU], _notice("OUTFLOW", ZHOU, "周敏", "GA", sex="2",
                                               birthDate="1984-01-17",
                                               outflowDate="2010-04-01"))
    assert after["outflowDate"] == "2010-04-01"
    assert changed_fields(PEOPLE[ZHOU], after) == ["outflowDate"]


def test_inflow_after_a_departure_clears_the_outflow_date() -> None:
    before = {**PEOPLE[ZHOU], "outflowDate": "2010-04-01"}
    after = merge_notice(before, _notice("INFLOW", ZHOU, "周敏", "GA",
                                         inflowDate="2010-04-20"))
    assert after["inflowDate"] == "2010-04-20" and "outflowDate" not in after


def test_only_civil_affairs_changes_the_marital_status_of_a_known_record() -> None:
    before = PEOPLE[SUN]
    after = merge_notice(before, _notice("INFLOW", SUN, "孙强", "GA", maritalStatus="10",
                                         inflowDate="2010-04-20"))
    assert after["maritalStatus"] == before["maritalStatus"]
    assert after["marriageDate"] == before["marriageDate"]
    assert changed_fields(before, after) == ["inflowDate"]


def test_identity_is_never_changed_by_a_notice() -> None:
    after = merge_notice(PEOPLE[WANG], _notice("CORRECTION", department="JY",
                                               birthDate="1985-03-12", sex="2"))
    assert after == PEOPLE[WANG]
    assert changed_fields(PEOPLE[WANG], after) == []


def test_a_full_police_registration_opens_a_record() -> None:
    full = _notice("INFLOW", "411623198103091170", "郑浩", "GA", sex="1",
                   birthDate="1981-03-09", hukouRegion="411623", residenceRegion="410102",
                   residenceAddress="郑州市中原区嵩山路5号", inflowDate="2010-04-03",
                   maritalStatus="20", marriageDate="2005-01-01",
                   spouse={"name": "某某"})
    record = opening_record(full)
    assert record is not None
    assert record["idNumber"] == "411623198103091170" and record["name"] == "郑浩"
    assert v2.PersonRecord.model_validate(record).marital_status == "20"


def test_a_registration_without_marital_status_opens_nothing() -> None:
    partial = _notice("INFLOW", "411623198103091170", "郑浩", "GA", sex="1",
                      birthDate="1981-03-09", hukouRegion="411623", residenceRegion="410102",
                      residenceAddress="郑州市中原区嵩山路5号", inflowDate="2010-04-03")
    assert opening_record(partial) is None
