"""Valid change reports about distinct people, for the demo, the tests and the benchmark."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from schema.identity import id_check_character
from schema.models import v2

CST = dt.timezone(dt.timedelta(hours=8))
#: Registration places: three Zhoukou counties, one Zhengzhou county, one Nanyang county.
HUKOU = ["411622", "411623", "411602", "410181", "411321"]
UNIT = v2.ReportingUnit(region="410102", department="RKJS")
REPORTED_AT = dt.datetime(2010, 4, 7, 9, 30, tzinfo=CST)


def _id_number(region: str, birth: dt.date, order: int) -> str:
    first17 = f"{region}{birth:%Y%m%d}{order:03d}"
    return first17 + id_check_character(first17)


def make_report(index: int, prefix: str = "R") -> v2.ChangeReport:
    """The ``index``-th report: an INFLOW of a distinct married woman (index < 2,000,000)."""
    hukou = HUKOU[index % len(HUKOU)]
    birth = dt.date(1975, 1, 1) + dt.timedelta(days=index // 500 % 3650)
    order = index % 500 * 2  # even: a woman
    record = v2.PersonRecord(
        id_number=_id_number(hukou, birth, order), name="王秀英", sex="2", birth_date=birth,
        hukou_region=hukou, residence_region="410102",
        residence_address=f"郑州市中原区建设路{index % 300 + 1}号院",
        inflow_date=dt.date(2010, 3, 15), marital_status="20",
        marriage_date=birth + dt.timedelta(days=365 * 24),
        children=[v2.Child(sex="1", birth_date=birth + dt.timedelta(days=365 * 26),
                           birth_order=1)])
    return v2.ChangeReport(report_id=f"{prefix}{index:07d}", change_type="INFLOW",
                           effective_date=dt.date(2010, 3, 15), reported_at=REPORTED_AT,
                           reporting_unit=UNIT,
                           changed_fields=["inflowDate", "residenceRegion", "residenceAddress"],
                           record=record)


def make_reports(count: int, start: int = 0, prefix: str = "R") -> Iterator[v2.ChangeReport]:
    for index in range(start, start + count):
        yield make_report(index, prefix)


def make_batch(count: int, start: int = 0, prefix: str = "R") -> v2.ChangeReportBatch:
    reports = list(make_reports(count, start, prefix))
    return v2.ChangeReportBatch(batch_id=f"B{prefix}{start:07d}", period="2010-04",
                                reporting_unit=UNIT, report_count=len(reports),
                                reports=reports)
