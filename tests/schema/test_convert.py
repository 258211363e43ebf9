"""Version conversion (DESIGN §3): up is lossless, down reports exactly what it loses.

The expected losses and the expected version 1 form are worked out here from the
design, independently of ``schema.convert``.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from schema.codes import V1_CHANGE_TYPES, SchemaVersion
from schema.convert import convert
from schema.errors import ConversionLoss
from schema.jsoncodec import to_json_object
from schema.models import v1, v2
from schema.models._base import StandardModel
from tests.schema.rules._build import credit_code, record, report
from tests.schema.strategies import CREDIT_CODES, ORG_CODES, documents, text

NAMES = ("PersonRecord", "ChangeReport", "ChangeReportBatch")
EXAMPLES = settings(max_examples=25, deadline=None)


def _body(document: StandardModel) -> dict[str, Any]:
    return {k: v for k, v in to_json_object(document).items()
            if k not in ("type", "schemaVersion")}


def _reports(name: str, body: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(path prefix, report) of each report in a document body."""
    if name == "ChangeReport":
        return [("", body)]
    if name == "ChangeReportBatch":
        return [(f"reports[{i}].", r) for i, r in enumerate(body["reports"])]
    return []


def _records(name: str, body: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    if name == "PersonRecord":
        return [("", body)]
    return [(f"{prefix}record.", r["record"]) for prefix, r in _reports(name, body)]


def _record_losses(prefix: str, rec: dict[str, Any]) -> list[str]:
    lost = []
    if "birthRegistration" in rec:
        lost.append(f"{prefix}birthRegistration")
    if "creditCode" in rec.get("employer", {}):
        lost.append(f"{prefix}employer.creditCode")
    return lost


def expected_losses(name: str, body: dict[str, Any]) -> list[str]:
    """What version 1 cannot hold, in document order."""
    if name == "PersonRecord":
        return _record_losses("", body)
    lost = []
    for prefix, rep in _reports(name, body):
        if rep["changeType"] == "BIRTH_REGISTRATION":
            lost.append(f"{prefix}changeType")
        if "birthRegistration" in rep.get("changedFields", []):
            lost.append(f"{prefix}changedFields")
        lost += _record_losses(f"{prefix}record.", rep["record"])
    return lost


def expected_down(name: str, body: dict[str, Any]) -> dict[str, Any]:
    """The version 1 body: v2-only fields dropped, orgCode filled from the credit code."""
    result = copy.deepcopy(body)
    for _, rec in _records(name, result):
        rec.pop("birthRegistration", None)
        employer = rec.get("employer", {})
        if "creditCode" in employer:
            credit = employer.pop("creditCode")
            employer.setdefault("orgCode", f"{credit[8:16]}-{credit[16]}")
    for _, rep in _reports(name, result):
        if "changedFields" in rep:
            rep["changedFields"] = [f for f in rep["changedFields"] if f != "birthRegistration"]
            if not rep["changedFields"]:
                del rep["changedFields"]
    return result


_NOTE_ROOM = 450  # room left in remarks (≤500) for a note on the lost change type


def _remarks_cut_on_birth_registration(name: str, body: dict[str, Any]) -> bool:
    """Remarks the conversion cuts short without saying (see the xfail below)."""
    return any(r["changeType"] == "BIRTH_REGISTRATION"
               and (len(r.get("remarks", "")) > _NOTE_ROOM or r.get("remarks", "")[:1] == "；")
               for _, r in _reports(name, body))


@pytest.mark.parametrize("name", NAMES)
@EXAMPLES
@given(data=st.data())
def test_up_is_lossless_and_down_restores(name: str, data: st.DataObject) -> None:
    document = data.draw(documents(name, "1"))
    up = convert(document, SchemaVersion.V2)
    assert up.lost == ()
    assert to_json_object(up.document) == {**to_json_object(document), "schemaVersion": "2"}
    down = convert(up.document, "1")
    assert down.lost == ()
    assert down.document == document
    assert type(down.document) is type(document)


@pytest.mark.parametrize("name", NAMES)
@EXAMPLES
@given(data=st.data())
def test_down_then_up_when_nothing_is_lost(name: str, data: st.DataObject) -> None:
    document = data.draw(documents(name, "2", v2_extras=False))
    down = convert(document, "1")
    assert down.lost == ()
    assert to_json_object(down.document) == {**to_json_object(document), "schemaVersion": "1"}
    assert convert(down.document, "2").document == document


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_down_lists_exactly_what_is_lost(name: str, data: st.DataObject) -> None:
    document = data.draw(documents(name, "2"))
    body = _body(document)
    lost = expected_losses(name, body)
    if not lost:
        assert convert(document, "1").lost == ()
        return
    with pytest.raises(ConversionLoss) as refused:
        convert(document, "1")
    assert refused.value.lost == tuple(lost)
    assert refused.value.code == "conversion-loss"
    for path in lost:
        assert path in str(refused.value)

    assume(not _remarks_cut_on_birth_registration(name, body))
    allowed = convert(document, "1", allow_loss=True)
    assert allowed.lost == tuple(lost)
    got = _body(allowed.document)
    want = expected_down(name, body)
    # The design does not say what a BIRTH_REGISTRATION report becomes in version 1:
    # some version 1 change type, with its remarks kept.
    for (_, got_report), (_, want_report) in zip(_reports(name, got), _reports(name, want),
                                                 strict=True):
        if want_report["changeType"] == "BIRTH_REGISTRATION":
            assert got_report["changeType"] in {c.value for c in V1_CHANGE_TYPES}
            assert want_report.get("remarks", "") in got_report.get("remarks", "")
            want_report["changeType"] = got_report["changeType"]
            want_report["remarks"] = got_report.get("remarks")
            if want_report["remarks"] is None:
                del want_report["remarks"]
    assert got == want


@EXAMPLES
@given(credit=CREDIT_CODES, org=st.none() | ORG_CODES, name=text(1, 100))
def test_org_code_is_derived_from_the_credit_code(credit: str, org: str | None,
                                                  name: str) -> None:
    employer = {"name": name, "creditCode": credit, **({"orgCode": org} if org else {})}
    document = record("2", employer=employer, birthRegistration=None)
    with pytest.raises(ConversionLoss) as refused:
        convert(document, "1")
    assert refused.value.lost == ("employer.creditCode",)
    converted = convert(document, "1", allow_loss=True)
    assert converted.lost == ("employer.creditCode",)
    assert isinstance(converted.document, v1.PersonRecord)
    assert converted.document.employer is not None
    # Characters 9–17 of the credit code are the organisation code; a given one is kept.
    assert converted.document.employer.org_code == (org or f"{credit[8:16]}-{credit[16]}")


def test_org_code_from_a_real_credit_code() -> None:
    document = record("2", employer={"name": "某某公司", "creditCode": "91410105MA3X4G2R1B"})
    converted = convert(document, "1", allow_loss=True)
    assert converted.document.employer.org_code == "MA3X4G2R-1"  # type: ignore[attr-defined]


def test_every_v2_only_field_is_named() -> None:
    org = "41710000-9"
    document = report("2", {"employer": {"name": "某某公司", "creditCode": credit_code(org)}},
                      changeType="BIRTH_REGISTRATION",
                      changedFields=["birthRegistration", "name"])
    with pytest.raises(ConversionLoss) as refused:
        convert(document, "1")
    assert refused.value.lost == (
        "changeType",
        "changedFields",
        "record.birthRegistration",
        "record.employer.creditCode",
    )
    converted = convert(document, "1", allow_loss=True)
    assert converted.lost == refused.value.lost
    assert isinstance(converted.document, v1.ChangeReport)
    assert converted.document.changed_fields == ["name"]
    assert converted.document.record.employer is not None
    assert converted.document.record.employer.org_code == org


def test_batch_paths_name_the_report() -> None:
    plain = report("2", {"birthRegistration": None})
    lossy = report("2", reportId="R2")
    batch = v2.ChangeReportBatch.model_validate({
        "batchId": "B1", "period": "2010-04",
        "reportingUnit": {"region": "410102", "department": "RKJS"},
        "reportCount": 2, "reports": [_body(plain), _body(lossy)],
    })
    with pytest.raises(ConversionLoss) as refused:
        convert(batch, "1")
    assert refused.value.lost == ("reports[1].record.birthRegistration",)


@pytest.mark.parametrize("version", ["1", "2"])
def test_same_version_is_the_same_document(version: str) -> None:
    document = record(version)
    converted = convert(document, version)
    assert converted.document is document
    assert converted.lost == ()


@pytest.mark.parametrize("remarks", ["备" * 495, "；见附件"], ids=["long", "leading-semicolon"])
def test_birth_registration_remarks_are_kept_or_reported(remarks: str) -> None:
    document = report("2", {"birthRegistration": None}, changeType="BIRTH_REGISTRATION",
                      remarks=remarks)
    converted = convert(document, "1", allow_loss=True)
    assert isinstance(converted.document, v1.ChangeReport)
    assert remarks in (converted.document.remarks or "") or "remarks" in converted.lost
