"""Health: birth certificates and vaccinations → BIRTH on the mother's and father's records."""

from __future__ import annotations

import pytest

from fixtures.departments.samples import HERE, LI, LIU_X, WANG
from schema.codes import ChangeType
from tests.adapters._support import run

SAMPLE = (HERE / "ws" / "出生登记.csv").read_bytes()


def test_both_parents_get_the_child() -> None:
    outcome = run("ws", SAMPLE)
    assert {n.change_type for n in outcome.notices} == {ChangeType.BIRTH}
    mother, father = outcome.notices[:2]
    assert (mother.subject.id_number, father.subject.id_number) == (WANG, LI)
    assert (mother.record.sex, father.record.sex) == ("2", "1")
    assert mother.record.children == father.record.children
    (child,) = mother.record.children or []
    assert (child.name, str(child.birth_date), child.birth_order) == ("李浩然", "2010-03-02", 1)
    assert mother.record.spouse is not None and mother.record.spouse.id_number == LI
    assert str(mother.effective_date) == "2010-03-02"


def test_the_vaccination_of_a_certified_child_is_a_repeat() -> None:
    outcome = run("ws", SAMPLE)
    assert [(w.row, w.rule) for w in outcome.warnings] == [(3, "row.duplicate")]
    alone = [n for n in outcome.notices if n.subject.id_number == LIU_X.upper()]
    assert len(alone) == 1 and alone[0].record.spouse is None


def test_refusals() -> None:
    assert run("ws", SAMPLE).rules() == [(7, "孩次", "row.code"),
                                         (8, "出生日期", "child.before-parent"),
                                         (9, "父亲身份证号", "row.id-scientific")]


@pytest.mark.parametrize("order", ["²", "①", "٣", "1" * 5000])
def test_a_birth_order_int_cannot_read_is_row_code_not_a_crash(order: str) -> None:
    text = SAMPLE.decode("utf-8-sig").replace(",1,王秀英", f",{order},王秀英", 1)
    outcome = run("ws", b"\xef\xbb\xbf" + text.encode())
    assert (2, "孩次", "row.code") in outcome.rules()
