"""Industry & commerce: individual businesses and market stalls → EMPLOYER_CHANGE."""

from __future__ import annotations

from fixtures.departments.samples import HERE, LIU_X, WANG
from tests.adapters._support import run

SAMPLE = (HERE / "gs" / "个体工商户登记.csv").read_bytes()


def test_businesses_and_stalls() -> None:
    outcome = run("gs", SAMPLE)
    employers = {n.subject.id_number: n.record.employer for n in outcome.notices}
    shop = employers[WANG]
    assert shop is not None and shop.credit_code == "92410102086912341W"
    stall = employers[LIU_X.upper()]
    assert stall is not None and stall.name == "郑州市中原区伏牛路市场B7号摊位"
    assert stall.credit_code is None
    old = next(n for n in outcome.notices if n.source.record_number == "410102600123456")
    assert old.record.employer is not None and old.record.employer.credit_code is None


def test_refusals_and_repeats() -> None:
    outcome = run("gs", SAMPLE)
    assert outcome.rules() == [(4, "字号名称", "row.missing"), (5, "注册号", "employer.code")]
    assert [(w.row, w.rule) for w in outcome.warnings] == [(6, "row.duplicate")]
