"""Housing: rental registrations → RESIDENCE_CHANGE."""

from __future__ import annotations

from fixtures.departments.samples import HERE, LIU_X
from schema.codes import ChangeType
from tests.adapters._support import run

SAMPLE = (HERE / "fg" / "房屋租赁登记备案.csv").read_bytes()


def test_the_new_residence() -> None:
    outcome = run("fg", SAMPLE)
    assert {n.change_type for n in outcome.notices} == {ChangeType.RESIDENCE_CHANGE}
    liu = next(n for n in outcome.notices if n.subject.id_number == LIU_X.upper())
    assert (liu.record.residence_region, liu.record.phone, str(liu.effective_date)) == (
        "410102", "13592618834", "2010-04-01")
    assert liu.record.sex is not None and liu.record.sex.value == "2"


def test_refusals() -> None:
    assert run("fg", SAMPLE).rules() == [(4, "房屋所在区划", "row.code"),
                                         (7, "租赁起始日期", "row.missing")]
