"""Routing rules: registration place and province, permissions, version conversion."""

from __future__ import annotations

import json
from pathlib import Path

from gateway.demo import make_report
from gateway.ingest._intake import report_in
from gateway.node import load_identity
from gateway.routing import RouteInput, destinations, registration_node, route
from gateway.settings import RouteRule, load_settings
from schema.codes import SchemaVersion
from schema.models import v2


def _identity(node_id: str = "410100-RKJS"):
    return load_identity(load_settings(node_id=node_id, data_dir=Path("/nonexistent")))


def test_registration_node():
    assert registration_node("411622") == "411600-RKJS"


def test_self_submitted_reports_go_to_registration_place_and_province():
    rules = load_settings().routes
    identity = _identity()
    assert destinations(rules, identity, "410100-RKJS", "411622") == ["411600-RKJS",
                                                                      "410000-RKJS"]
    assert destinations(rules, identity, "410100-RKJS", "410181") == ["410000-RKJS"]
    assert destinations(rules, identity, "411600-RKJS", "411622") == []  # not self
    wide = [RouteRule(to="410000-RKJS", senders=["*"])]
    assert destinations(wide, identity, "411600-RKJS", "411622") == ["410000-RKJS"]


def test_a_single_report_goes_as_change_report_and_loses_nothing_in_v2():
    report = make_report(0)
    source = RouteInput("410100-RKJS", SchemaVersion.V2, [report_in(report, SchemaVersion.V2)],
                        [report], None)
    routed = route(source, load_settings().routes, _identity())
    assert {(r.destination, r.message_type, r.schema_version) for r in routed} == {
        ("411600-RKJS", "ChangeReport", "2"), ("410000-RKJS", "ChangeReport", "2")}
    assert all(not r.lost for r in routed)


def test_several_reports_to_the_province_go_as_one_batch():
    reports = [make_report(i) for i in (3, 8)]  # 410181: Zhengzhou-registered, province only
    batch = v2.ChangeReportBatch(batch_id="B1", period="2010-04",
                                 reporting_unit=reports[0].reporting_unit, report_count=2,
                                 reports=reports)
    source = RouteInput("410100-RKJS", SchemaVersion.V2,
                        [report_in(r, SchemaVersion.V2) for r in reports], reports, batch)
    routed = route(source, load_settings().routes, _identity())
    assert [(r.destination, r.message_type) for r in routed] == [("410000-RKJS",
                                                                  "ChangeReportBatch")]
    parsed = v2.ChangeReportBatch.model_validate_json(
        routed[0].document.replace(b'"type":"ChangeReportBatch","schemaVersion":"2",', b""))
    assert parsed.reports == reports


def test_a_partner_of_version_1_gets_version_1_and_the_loss_is_reported(monkeypatch):
    report = make_report(0)
    employer = v2.Employer(name="郑州市中原区建设路百货商店", credit_code="91110000600037341L")
    report = report.model_copy(update={"record": report.record.model_copy(
        update={"employer": employer})})
    identity = _identity()
    only_v1 = {"411600-RKJS": [SchemaVersion.V1]}
    monkeypatch.setattr(type(identity), "versions",
                        lambda self, node: only_v1.get(node, [SchemaVersion.V1,
                                                             SchemaVersion.V2]))
    source = RouteInput("410100-RKJS", SchemaVersion.V2, [report_in(report, SchemaVersion.V2)],
                        [report], None)
    routed = {r.destination: r for r in route(source, load_settings().routes, identity)}
    zhoukou, province = routed["411600-RKJS"], routed["410000-RKJS"]
    assert (zhoukou.schema_version, province.schema_version) == ("1", "2")
    assert zhoukou.lost == ("record.employer.creditCode",) and province.lost == ()
    document = json.loads(zhoukou.document)
    assert document["schemaVersion"] == "1"
    assert document["record"]["employer"] == {"name": employer.name, "orgCode": "60003734-1"}
