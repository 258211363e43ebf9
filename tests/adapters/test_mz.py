"""Civil affairs: marriage, divorce and remarriage → MARITAL_CHANGE for both parties."""

from __future__ import annotations

from fixtures.departments.samples import HERE, QIAN, SUN, WU, ZHANG, ZHOU
from schema.codes import ChangeType
from schema.models.v2 import DepartmentNotice
from tests.adapters._support import Outcome, run

SAMPLE = (HERE / "mz" / "婚姻登记数据.xml").read_bytes()


def _status(outcome: Outcome, number: str, day: str) -> DepartmentNotice:
    return next(n for n in outcome.notices if n.subject.id_number == number
                and str(n.effective_date) == day)


def test_each_record_gives_both_parties_their_change() -> None:
    outcome = run("mz", SAMPLE)
    assert {n.change_type for n in outcome.notices} == {ChangeType.MARITAL_CHANGE}
    zhang = _status(outcome, ZHANG, "2010-04-02")
    assert (zhang.record.marital_status, str(zhang.record.marriage_date)) == ("21",
                                                                                   "2010-04-02")
    assert zhang.record.spouse is not None and zhang.record.spouse.name == "刘芳"
    assert zhang.source.record_number == "J410102-2010-000318" and zhang.region == "410102"
    divorced = [_status(outcome, n, "2010-03-15") for n in (SUN, QIAN)]
    assert all(n.record.marital_status == "40" and n.record.spouse is None
               for n in divorced)
    assert _status(outcome, SUN, "2010-04-06").record.marital_status == "22"
    assert _status(outcome, ZHOU, "2010-04-06").record.marital_status == "21"
    assert _status(outcome, WU, "2010-03-20").record.marital_status == "23"


def test_findings_are_located_by_line_and_element_path() -> None:
    outcome = run("mz", SAMPLE)
    assert outcome.rules() == [(31, "女方/身份证件号", "row.id-scientific"),
                               (38, "登记日期", "row.date")]
    assert {(w.row, w.rule) for w in outcome.warnings} == {(3, "marriage.age"),
                                                           (45, "marriage.age")}
