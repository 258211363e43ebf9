"""Public security: temporary residence registrations → INFLOW, RESIDENCE_CHANGE, OUTFLOW."""

from __future__ import annotations

import csv
import io

import pytest

from adapters import ExportImport, RowError, get_adapter
from fixtures.departments.samples import HE, HERE, LI, LIU_X, YANG, ZHANG
from schema.codes import ChangeType
from tests.adapters._support import csv_bytes, run

SAMPLE = (HERE / "ga" / "暂住人口登记信息.csv").read_bytes()


def test_the_sample() -> None:
    outcome = run("ga", SAMPLE)
    by_id = {n.subject.id_number: n for n in outcome.notices}
    assert [n.change_type for n in outcome.notices].count(ChangeType.INFLOW) == 6
    li = by_id[LI]  # written as the 15-digit legacy number
    assert (li.subject.name, str(li.record.birth_date), li.region) == ("李建国", "1983-01-05",
                                                                     "410102")
    zhang = by_id[ZHANG]  # full-width digits, stray spaces, 2010年3月22日
    assert (zhang.subject.name, str(zhang.effective_date), zhang.record.phone) == (
        "张伟", "2010-03-20", "13592618834")
    assert LIU_X.upper() in by_id and by_id[LIU_X.upper()].record.ethnicity == "03"
    # 婚姻状况: １０ (full-width) and 未婚 are carried; 已婚, 20 and 21 (married, no date) not
    assert [by_id[n].record.marital_status for n in (ZHANG, LIU_X.upper(), HE)] == ["10"] * 3
    assert by_id[LI].record.marital_status is None and by_id[YANG].record.marital_status is None
    changes = {n.change_type: n for n in outcome.notices}
    assert changes[ChangeType.RESIDENCE_CHANGE].record.inflow_date is None
    assert str(changes[ChangeType.OUTFLOW].record.outflow_date) == "2010-04-01"
    assert outcome.rules() == [(9, "公民身份号码", "row.id-scientific"),
                               (12, "出生日期", "row.date"), (13, "公民身份号码", "id.sex"),
                               (14, "民族", "row.columns"), (17, "婚姻状况", "row.code")]


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


HEADER = ("登记类型,姓名,性别,民族,婚姻状况,出生日期,公民身份号码,户籍地行政区划,暂住地行政区划,"
          "暂住地详址,来本地日期,登记日期,登记单位代码")


def _registration(status: str, kind: str = "暂住登记") -> bytes:
    """One 刘芳 row of ``kind`` with 婚姻状况 ``status``, GB18030 like the real export."""
    return csv_bytes(HEADER, f"{kind},刘芳,女,回族,{status},1990-07-12,{LIU_X},411623,410102,"
                     "郑州市中原区伏牛路99号,2010-03-25,2010-03-26,410102520100", bom=False)


@pytest.mark.parametrize(("written", "code"), [
    ("10", "10"), ("未婚", "10"), ("１０", "10"), (" 未婚 ", "10"),
    ("30", "30"), ("丧偶", "30"), ("40", "40"), ("离婚", "40"), ("离异", "40"),
])
def test_marital_status_codes_and_words_become_the_records(written: str, code: str) -> None:
    outcome = run("ga", _registration(written))
    assert not outcome.errors
    (notice,) = outcome.notices
    assert notice.record.marital_status == code


@pytest.mark.parametrize("written", [
    "20", "已婚", "有配偶", "21", "初婚", "22", "再婚", "23", "复婚",  # married: no date known
    "90", "未说明", "未说明的婚姻状况",  # states nothing
    "",  # blank: the column is optional
])
def test_married_unstated_and_blank_statuses_are_taken_but_not_carried(written: str) -> None:
    outcome = run("ga", _registration(written))
    assert not outcome.errors
    (notice,) = outcome.notices
    assert notice.record.marital_status is None and notice.record.marriage_date is None


@pytest.mark.parametrize("written", ["同居", "已婚未育", "2", "married", "1O"])
def test_an_unknown_marital_status_is_a_located_row_code(written: str) -> None:
    outcome = run("ga", _registration(written))
    assert not outcome.notices
    assert outcome.rules() == [(2, "婚姻状况", "row.code")]
    assert written in outcome.errors[0].message_zh and "GB/T 2261.2" in outcome.errors[0].message_en


@pytest.mark.parametrize("kind", ["变更登记", "注销登记"])
def test_marital_status_goes_on_inflow_notices_only(kind: str) -> None:
    (notice,) = run("ga", _registration("未婚", kind)).notices
    assert notice.change_type is not ChangeType.INFLOW
    assert notice.record.marital_status is None


def test_an_export_without_the_column_still_loads() -> None:
    header = HEADER.replace("婚姻状况,", "")
    data = csv_bytes(header, f"暂住登记,刘芳,女,回族,1990-07-12,{LIU_X},411623,410102,"
                     "郑州市中原区伏牛路99号,2010-03-25,2010-03-26,410102520100", bom=False)
    (notice,) = run("ga", data).notices
    assert notice.record.marital_status is None and notice.record.ethnicity == "03"
