"""Education: enrolment of migrant children → the child on each parent's record."""

from __future__ import annotations

from fixtures.departments.samples import CHILD, HERE, LI, WANG
from schema.codes import ChangeType
from tests.adapters._support import run

SAMPLE = (HERE / "jy" / "随迁子女入学登记.csv").read_bytes()


def test_the_child_goes_on_the_named_parents() -> None:
    outcome = run("jy", SAMPLE)
    assert {n.change_type for n in outcome.notices} == {ChangeType.CORRECTION}
    assert [n.subject.id_number for n in outcome.notices][:2] == [WANG, LI]
    (child,) = outcome.notices[0].record.children or []
    assert (child.name, child.id_number, child.birth_order) == ("李明", CHILD, 1)
    assert str(outcome.notices[0].effective_date) == "2009-09-01"
    single = outcome.notices[2]
    assert single.record.spouse is None and (single.record.children or [])[0].birth_order == 2


def test_refusals() -> None:
    assert run("jy", SAMPLE).rules() == [(4, "母亲身份证号", "row.missing"),
                                         (5, "父亲身份证号", "row.id-scientific")]


def test_a_birth_order_int_cannot_read_is_row_code_not_a_crash() -> None:
    text = SAMPLE.decode("utf-8-sig")
    header, first, *rest = text.split("\r\n")
    fields = first.split(",")
    fields[header.split(",").index("家中排行")] = "①"
    data = "\r\n".join([header, ",".join(fields), *rest])
    assert (2, "家中排行", "row.code") in run("jy", b"\xef\xbb\xbf" + data.encode()).rules()
