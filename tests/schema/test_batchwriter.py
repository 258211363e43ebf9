import io

import pytest

from fixtures._people import inflow_report, wang_xiuying
from schema.batchwriter import write_json_batch, write_xml_batch
from schema.codes import SchemaVersion
from schema.jsoncodec import loads_json
from schema.models import v2
from schema.xmlcodec import loads_xml

UNIT = v2.ReportingUnit(region="410102", department="RKJS")


def batch(count: int) -> v2.ChangeReportBatch:
    reports = [inflow_report(wang_xiuying(), f"R-{i}") for i in range(count)]
    return v2.ChangeReportBatch(batch_id="B1", period="2010-04", reporting_unit=UNIT,
                                report_count=count, reports=reports)


def header(document: v2.ChangeReportBatch) -> v2.BatchHeader:
    return v2.BatchHeader.model_validate(document.model_dump(exclude={"reports"}))


@pytest.mark.parametrize("encoding", ["UTF-8", "GB18030"])
def test_xml_batch_reads_back_equal(encoding):
    document = batch(3)
    out = io.BytesIO()
    count = write_xml_batch(out, SchemaVersion.V2, header(document), document.reports,
                            encoding=encoding)
    assert count == 3
    data = out.getvalue()
    assert f"encoding='{encoding}'".encode() in data.splitlines()[0]
    assert "王秀英".encode(encoding) in data
    assert b"ns0:" not in data and data.count(b"xmlns=") == 1
    assert loads_xml(data) == document


def test_json_batch_reads_back_equal():
    document = batch(2)
    out = io.BytesIO()
    assert write_json_batch(out, SchemaVersion.V2, header(document), document.reports) == 2
    assert loads_json(out.getvalue()) == document
