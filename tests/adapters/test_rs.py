"""Human resources: fixed-width employment registrations → EMPLOYER_CHANGE."""

from __future__ import annotations

from fixtures.departments.samples import HERE, LI
from schema.codes import ChangeType
from tests.adapters._support import run

SAMPLE = (HERE / "rs" / "就业登记.txt").read_bytes()


def test_employers_with_their_codes() -> None:
    outcome = run("rs", SAMPLE)
    assert {n.change_type for n in outcome.notices} == {ChangeType.EMPLOYER_CHANGE}
    employers = {n.subject.id_number: n.record.employer for n in outcome.notices}
    li = employers[LI]  # 15-digit number padded to 18; organisation code without its hyphen
    assert li is not None and (li.name, li.org_code) == ("郑州宏达建筑劳务有限公司", "41710532-6")
    assert any(e is not None and e.credit_code == "92410102MA3X4G2R1W"
               for e in employers.values())
    assert str(outcome.notices[0].effective_date) == "2010-03-20"


def test_refusals() -> None:
    assert run("rs", SAMPLE).rules() == [(4, "组织机构代码", "employer.code"),
                                         (5, "用工日期", "row.date"),
                                         (6, "单位名称", "row.columns")]
