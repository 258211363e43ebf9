"""Receipt documents built from findings: their text is what the standard lets a receipt hold."""

from __future__ import annotations

import datetime as dt

import pytest

from gateway.receipts import build_receipt, receipt_bytes
from schema.codes import SchemaVersion
from schema.issues import Issue, Severity
from schema.jsoncodec import loads_json
from schema.models.receipt import Disposition
from schema.xmlcodec import loads_xml

AT = dt.datetime(2010, 4, 7, 9, 30, tzinfo=dt.UTC)


@pytest.mark.parametrize("version", [SchemaVersion.V1, SchemaVersion.V2])
@pytest.mark.parametrize("envelope_format", ["xml", "json"])
def test_control_characters_in_a_finding_are_written_visibly(version, envelope_format):
    found = Issue("schema", Severity.ERROR, "record.x\x01\ufffe", "不符合XSD：'王\t秀英'",
                  "not valid against the XSD: '王\t秀英\r\n'", 3)
    receipt = build_receipt(version, message_id="M-1", sender="410100-RKJS",
                            recipient="410000-RKJS", disposition=Disposition.REJECTED,
                            received_at=AT, digest="0" * 64, reason="invalid",
                            issues=[found], lost=["record.\x1f"])
    assert receipt.issues is not None
    (issue,) = receipt.issues
    assert issue.path == "record.x\\x01\\ufffe"
    assert issue.message == "不符合XSD：'王\\t秀英' / not valid against the XSD: '王\\t秀英\\r\\n'"
    assert receipt.lost == ["record.\\x1f"]
    document = receipt_bytes(receipt, envelope_format)
    loads = loads_xml if envelope_format == "xml" else loads_json
    assert loads(document) == receipt  # read back, schema-checked (the XSD for XML)


def test_a_long_finding_is_cut_after_its_escapes():
    found = Issue("schema", Severity.ERROR, "\t" * 600, "\x01" * 2000, "x")
    receipt = build_receipt(SchemaVersion.V2, message_id="M-1", sender="410100-RKJS",
                            recipient="410000-RKJS", disposition=Disposition.REJECTED,
                            received_at=AT, digest="0" * 64, reason="invalid", issues=[found])
    assert receipt.issues is not None
    (issue,) = receipt.issues
    assert issue.path == "\\t" * 256 and len(issue.message) == 2000
