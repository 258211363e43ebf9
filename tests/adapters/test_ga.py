"""Public security: temporary residence registrations → INFLOW, RESIDENCE_CHANGE, OUTFLOW."""

from __future__ import annotations

import csv
import io

from adapters import ExportImport, RowError, get_adapter
from fixtures.departments.samples import HERE, LI, LIU_X, ZHANG
from schema.codes import ChangeType
from tests.adapters._support import run

SAMPLE = (HERE / "ga" / "暂住人口登记信息.csv").read_bytes()


def test_the_sample() -> None:
    outcome = run("ga", SAMPLE)
    by_id = {n.subject.id_number: n for n in outcome.notices}
    assert [n.change_type for n in outcome.notices].count(ChangeType.INFLOW) == 4
    li = by_id[LI]  # written as the 15-digit legacy number
    assert (li.subject.name, str(li.record.birth_date), li.region) == ("李建国", "1983-01-05",
                                                                     "410102")
    zhang = by_id[ZHANG]  # full-width digits, stray spaces, 2010年3月22日
    assert (zhang.subject.name, str(zhang.effective_date), zhang.record.phone) == (
        "张伟", "2010-03-20", "13592618834")
    assert LIU_X.upper() in by_id and by_id[LIU_X.upper()].record.ethnicity == "03"
    changes = {n.change_type: n for n in outcome.notices}
    assert changes[ChangeType.RESIDENCE_CHANGE].record.inflow_date is None
    assert str(changes[ChangeType.OUTFLOW].record.outflow_date) == "2010-04-01"
    assert outcome.rules() == [(9, "公民身份号码", "row.id-scientific"),
                               (12, "出生日期", "row.date"), (13, "公民身份号码", "id.sex"),
                               (14, "民族", "row.columns")]


def test_a_corrected_rejects_file_loads() -> None:
    job = ExportImport(get_adapter("ga"), io.BytesIO(SAMPLE), "ga.csv")
    out = io.BytesIO()
    writer = None
    for item in job:
        if isinstance(item, RowError) and item.rule == "row.date":
            writer = job.reader.rejects(out)
            writer.write(item.raw, "第12行 row.date")
    assert writer is not None
    writer.close()
    text = out.getvalue().decode("gb18030").replace("1985-02-30", "1985-02-28")
    assert next(csv.reader(io.StringIO(text)))[-1] == "拒收原因"
    fixed = run("ga", text.encode("gb18030"), "ga.rejects.csv")
    assert not fixed.errors and len(fixed.notices) == 1
    assert fixed.notices[0].source.file == "ga.rejects.csv"
