"""Build large, valid, realistic change-report batches for the benchmarks.

    python benchmarks/batchgen.py --reports 100000 --format xml -o /tmp/batch.xml
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

from schema.batchwriter import write_json_batch, write_xml_batch
from schema.codes import SchemaVersion
from schema.identity import id_check_character
from schema.models import v2

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐"
GIVEN = ["秀英", "建国", "桂兰", "志强", "玉梅", "海燕", "春华", "国庆", "丽娟", "文斌",
         "红霞", "永刚"]
HUKOU = ["411622", "411623", "411602", "411625", "410181", "411321"]
RESIDENCE = ["410102", "410103", "410105", "410104", "410108"]
STREETS = ["建设路", "中原路", "嵩山路", "桐柏路", "陇海路", "大学路", "文化路"]
UNIT = v2.ReportingUnit(region="410102", department="RKJS")


def _id_number(region: str, birth: dt.date, sequence: int, female: bool) -> str:
    order = sequence % 500 * 2 + (0 if female else 1)
    first17 = f"{region}{birth:%Y%m%d}{order:03d}"
    return first17 + id_check_character(first17)


def _years_after(day: dt.date, years: int) -> dt.date:
    return day + dt.timedelta(days=int(365.25 * years) + 1)


def make_report(index: int, rng: random.Random) -> v2.ChangeReport:
    """One valid INFLOW report of a married woman with one child."""
    birth = dt.date(1972, 1, 1) + dt.timedelta(days=rng.randrange(4000))
    hukou = rng.choice(HUKOU)
    husband_birth = birth - dt.timedelta(days=rng.randrange(1, 1500))
    record = v2.PersonRecord(
        id_number=_id_number(hukou, birth, index, True),
        name=rng.choice(SURNAMES) + rng.choice(GIVEN),
        sex="2",
        birth_date=birth,
        ethnicity="01",
        education="31",
        hukou_region=hukou,
        hukou_address=f"河南省周口市西华县{rng.choice('东西南北')}关村{rng.randrange(1, 99)}号",
        residence_region=rng.choice(RESIDENCE),
        residence_address=(f"郑州市{rng.choice(STREETS)}{rng.randrange(1, 300)}号院"
                           f"{rng.randrange(1, 20)}号楼"),
        inflow_date=dt.date(2010, 3, 1) + dt.timedelta(days=rng.randrange(30)),
        marital_status="20",
        marriage_date=_years_after(birth, 23),
        spouse=v2.Spouse(id_number=_id_number(hukou, husband_birth, index, False),
                         name=rng.choice(SURNAMES) + rng.choice(GIVEN)),
        children=[v2.Child(name=rng.choice(SURNAMES) + rng.choice(GIVEN), sex="1",
                           birth_date=_years_after(birth, 25), birth_order=1)],
        contraception=v2.Contraception(method="03", since=_years_after(birth, 26)),
        employer=v2.Employer(name="郑州市中原区建设路百货商店", credit_code="91110000600037341L"),
        phone=f"1380371{index % 10000:04d}",
    )
    return v2.ChangeReport(
        report_id=f"R2010-04-{index:07d}",
        change_type="INFLOW",
        effective_date=record.inflow_date,
        reported_at=dt.datetime(2010, 4, 7, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        reporting_unit=UNIT,
        changed_fields=["inflowDate", "residenceRegion", "residenceAddress"],
        record=record,
    )


def reports(count: int, seed: int = 2010) -> Iterator[v2.ChangeReport]:
    rng = random.Random(seed)
    # A few hundred distinct reports, re-numbered: generation stays cheap for huge batches.
    pool = [make_report(i, rng) for i in range(min(count, 500))]
    for index in range(count):
        yield pool[index % len(pool)].model_copy(update={"report_id": f"R2010-04-{index:07d}"})


def write_batch(path: Path, count: int, fmt: str) -> None:
    header = v2.BatchHeader(batch_id="B410102-2010-04", period="2010-04", reporting_unit=UNIT,
                            report_count=count)
    with path.open("wb") as out:
        if fmt == "xml":
            write_xml_batch(out, SchemaVersion.V2, header, reports(count))
        else:
            write_json_batch(out, SchemaVersion.V2, header, reports(count))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--format", choices=["xml", "json"], default="xml")
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args()
    write_batch(args.output, args.reports, args.format)


if __name__ == "__main__":
    main()
