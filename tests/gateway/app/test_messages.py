"""POST /api/v1/messages: verify, validate, store, dedupe, receipt — on both stores."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
from collections.abc import AsyncIterator

import httpx
import pytest
from lxml import etree
from sqlalchemy import func, select

from gateway.demo import demo_key, make_report, signed_message
from gateway.demo._sign import CREATED_AT
from gateway.envelope import EnvelopeHeader, PinnedKey, sign_json, sign_xml, verify_envelope
from gateway.store import messages, reports
from schema.codes import SchemaVersion
from schema.jsoncodec import dumps_json
from schema.models import v2
from schema.models.receipt import Receipt
from schema.xmlcodec import to_element
from tests.gateway._node import (
    JOSE,
    OPERATOR,
    XML,
    client_for,
    media,
    node_settings,
)
from tests.gateway._support import FIXTURES

pytestmark = pytest.mark.anyio
ENVELOPES = FIXTURES / "envelopes"
ZZ, PROVINCE = "410100-RKJS", "410000-RKJS"


def _receipt(body: bytes) -> Receipt:
    verified = verify_envelope(body, PinnedKey(demo_key(PROVINCE).private_key.public_key()))
    receipt = verified.document_model()
    assert isinstance(receipt, Receipt)
    assert verified.header.sender == PROVINCE and verified.header.message_type == "Receipt"
    return receipt


def _count(runtime, table) -> int:
    with runtime.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


@pytest.mark.parametrize("name", ["change-report.xml", "change-report.json",
                                  "change-report-batch.xml"])
async def test_accepts_and_answers_with_a_signed_receipt(database_url, tmp_path, name):
    envelope = (ENVELOPES / name).read_bytes()
    async with client_for(node_settings(database_url, tmp_path)) as (client, runtime):
        response = await client.post("/api/v1/messages", content=envelope,
                                     headers=media(envelope))
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(media(envelope)["Content-Type"])
        receipt = _receipt(response.content)
        assert receipt.disposition == "accepted"
        assert receipt.digest == hashlib.sha256(envelope).hexdigest()
        with runtime.engine.connect() as connection:
            stored = connection.execute(select(messages.c.envelope)).scalar_one()
        assert stored == envelope  # verbatim evidence


async def test_a_repeat_gets_the_original_receipt_and_is_stored_once(database_url, tmp_path):
    envelope = (ENVELOPES / "change-report.json").read_bytes()
    async with client_for(node_settings(database_url, tmp_path)) as (client, runtime):
        first = await client.post("/api/v1/messages", content=envelope, headers=JOSE)
        again = await client.post("/api/v1/messages", content=envelope, headers=JOSE)
        assert again.status_code == 200 and again.content == first.content
        assert _count(runtime, messages) == 1


async def test_same_message_id_other_content_is_409(database_url, tmp_path):
    key = demo_key(ZZ)
    one = signed_message(make_report(1), key, ZZ, PROVINCE, message_id="M-1")
    other = signed_message(make_report(2), key, ZZ, PROVINCE, message_id="M-1")
    async with client_for(node_settings(database_url, tmp_path)) as (client, runtime):
        assert (await client.post("/api/v1/messages", content=one, headers=JOSE)).status_code \
            == 200
        response = await client.post("/api/v1/messages", content=other, headers=JOSE)
        assert response.status_code == 409
        assert response.json()["error"] == "message-id-conflict"
        assert _count(runtime, messages) == 1


async def test_a_report_resent_under_a_new_message_id_is_recognised(database_url, tmp_path):
    key = demo_key(ZZ)
    report = make_report(7)
    async with client_for(node_settings(database_url, tmp_path)) as (client, runtime):
        for message_id in ("M-a", "M-b"):
            response = await client.post("/api/v1/messages", headers=XML, content=signed_message(
                report, key, ZZ, PROVINCE, "xml", message_id=message_id))
            assert response.status_code == 200
        receipt = _receipt(response.content)
        assert receipt.disposition == "accepted"
        assert [(r.report_id, r.outcome) for r in receipt.results or []] == [
            ("R0000007", "duplicate")]
        assert _count(runtime, reports) == 1


async def test_an_invalid_document_gets_a_rejected_receipt_with_rule_ids(database_url,
                                                                          tmp_path):
    data = make_report(3).model_dump(mode="json", exclude_none=True)
    data["changeType"] = "BIRTH"
    del data["record"]["children"]
    bad = v2.ChangeReport.model_validate(data)
    envelope = signed_message(bad, demo_key(ZZ), ZZ, PROVINCE)
    async with client_for(node_settings(database_url, tmp_path)) as (client, runtime):
        response = await client.post("/api/v1/messages", content=envelope, headers=JOSE)
        assert response.status_code == 200
        receipt = _receipt(response.content)
        assert receipt.disposition == "rejected" and receipt.reason == "invalid"
        assert "report.fields" in {i.rule for i in receipt.issues or []}
        assert _count(runtime, messages) == 1 and _count(runtime, reports) == 0


@pytest.mark.parametrize(("envelope", "headers", "status", "code"), [
    (b"<x/>", XML, 400, "malformed"),
    (b"", XML, 400, "malformed"),
    (b'{"a": 1}', JOSE, 400, "malformed"),
    (b"<Envelope/>", {"Content-Type": "text/plain"}, 415, "unsupported-media-type"),
    (b"{}", XML, 400, "malformed"),
    ('{"protected": "e30"}'.encode("utf-16-le"), JOSE, 400, "malformed"),
], ids=["not-envelope", "empty", "not-jws", "media-type", "format-mismatch", "utf-16"])
async def test_refusals_store_nothing(database_url, tmp_path, envelope, headers, status, code):
    async with client_for(node_settings(database_url, tmp_path)) as (client, runtime):
        response = await client.post("/api/v1/messages", content=envelope, headers=headers)
        assert (response.status_code, response.json()["error"]) == (status, code)
        assert _count(runtime, messages) == 0


async def test_bad_signature_401_and_not_permitted_403(database_url, tmp_path):
    good = (ENVELOPES / "change-report.xml").read_bytes()
    tampered = good.replace(b"<name>\xe7\x8e\x8b", b"<name>\xe6\x9d\x8e", 1)
    assert tampered != good
    not_permitted = (ENVELOPES / "not-permitted-person-record.json").read_bytes()
    async with client_for(node_settings(database_url, tmp_path)) as (client, runtime):
        response = await client.post("/api/v1/messages", content=tampered, headers=XML)
        assert (response.status_code, response.json()["error"]) == (401, "signature-invalid")
        unsigned = good[:good.index(b"<ds:Signature")] + b"</Envelope>"
        response = await client.post("/api/v1/messages", content=unsigned, headers=XML)
        assert (response.status_code, response.json()["error"]) == (401, "signature-missing")
        response = await client.post("/api/v1/messages", content=not_permitted, headers=JOSE)
        assert response.status_code == 403
        assert _count(runtime, messages) == 0


async def test_a_message_for_another_node_is_403(database_url, tmp_path):
    envelope = signed_message(make_report(1), demo_key(ZZ), ZZ, "411600-RKJS")
    async with client_for(node_settings(database_url, tmp_path)) as (client, _):
        response = await client.post("/api/v1/messages", content=envelope, headers=JOSE)
        assert (response.status_code, response.json()["error"]) == (403, "not-permitted")


async def test_too_large_is_413(tmp_path):
    settings = node_settings(f"sqlite:///{tmp_path}/g.db", tmp_path, max_body_bytes=2048)
    envelope = (ENVELOPES / "change-report.xml").read_bytes()
    async with client_for(settings) as (client, runtime):
        response = await client.post("/api/v1/messages", content=envelope, headers=XML)
        assert (response.status_code, response.json()["error"]) == (413, "too-large")

        async def chunks() -> AsyncIterator[bytes]:
            for _ in range(4):
                yield envelope[:1000]

        response = await client.post("/api/v1/messages", content=chunks(), headers=XML)
        assert response.status_code == 413
        assert _count(runtime, messages) == 0


async def test_a_token_of_non_ascii_bytes_is_refused_not_a_crash(database_url, tmp_path):
    # Header bytes arrive as Latin-1 text; comparing them with the secret must not raise.
    token = httpx.Headers([(b"authorization", "Bearer 王秀英".encode())])
    async with client_for(node_settings(database_url, tmp_path)) as (client, _):
        for path in ("/api/v1/messages/M-410100-0002", "/api/v1/inbox", "/api/v1/pending"):
            response = await client.get(path, headers=token)
            assert response.status_code == 401, path


async def test_status_and_receipts_of_a_message(database_url, tmp_path):
    envelope = (ENVELOPES / "change-report.json").read_bytes()
    async with client_for(node_settings(database_url, tmp_path)) as (client, _):
        await client.post("/api/v1/messages", content=envelope, headers=JOSE)
        assert (await client.get("/api/v1/messages/M-410100-0002")).status_code == 401
        view = (await client.get("/api/v1/messages/M-410100-0002", headers=OPERATOR)).json()
        assert view["inbound"][0]["status"] == "accepted"
        assert [r["disposition"] for r in view["inbound"][0]["receipts"]] == ["accepted",
                                                                              "applied"]
        partner = {"Authorization": "Bearer zz-token"}
        assert (await client.get("/api/v1/messages/M-410100-0002", headers=partner)) \
            .status_code == 200
        assert (await client.get("/api/v1/messages/nope", headers=OPERATOR)).status_code == 404


async def test_health_ready_and_openapi(tmp_path):
    async with client_for(node_settings(f"sqlite:///{tmp_path}/g.db", tmp_path)) as (client, _):
        assert (await client.get("/healthz")).json() == {"status": "ok"}
        assert (await client.get("/readyz")).status_code == 200
        for path in ("/healthz", "/readyz"):
            assert (await client.head(path)).status_code == 200
        document = (await client.get("/openapi.json")).json()
        paths = document["paths"]
        assert {"/api/v1/messages", "/api/v1/inbox", "/api/v1/records/{id_number}"} <= set(paths)
        # Refusals as the node answers them: {error, message}, never FastAPI's 422.
        for path_item in paths.values():
            for operation in path_item.values():
                assert "422" not in operation["responses"]
                assert operation["responses"]["default"]["content"]["application/json"][
                    "schema"] == {"$ref": "#/components/schemas/Refusal"}
        assert document["components"]["schemas"]["Refusal"]["required"] == ["error", "message"]
        assert "HTTPValidationError" not in document["components"]["schemas"]


def _signed_xml(report: v2.ChangeReport, message_id: str, field: str, value: str) -> bytes:
    """``report`` from Zhengzhou as a signed XML envelope, ``field``'s text set to ``value``
    (what a partner's own writer may produce: the signature holds, the value breaks the XSD)."""
    element = to_element(report)
    target = next(e for e in element.iter() if etree.QName(e).localname == field)
    target.text = value
    header = EnvelopeHeader(message_id=message_id, message_type="ChangeReport", sender=ZZ,
                            recipient=PROVINCE, created_at=CREATED_AT,
                            schema_version=SchemaVersion.V2)
    return sign_xml(element, header, demo_key(ZZ))


def _signed_json(document: dict[str, object], message_id: str) -> bytes:
    header = EnvelopeHeader(message_id=message_id, message_type="ChangeReport", sender=ZZ,
                            recipient=PROVINCE, created_at=CREATED_AT,
                            schema_version=SchemaVersion.V2)
    return sign_json(json.dumps(document, ensure_ascii=False).encode(), header, demo_key(ZZ))


async def test_findings_quoting_control_characters_are_receipted_and_the_node_goes_on(
        database_url, tmp_path):
    """libxml2 quotes the value it refuses, a JSON key stands in its finding's path: a tab,
    a line break or \\x01 there is written visibly in the receipt (whose text may not hold
    them), the message is rejected as invalid, and the node takes the next message."""
    document = json.loads(dumps_json(make_report(5), indent=None))
    document["x\u0001"] = 1
    bad = [_signed_xml(make_report(3), "TAB-1", "name", "王\t秀英"),
           _signed_xml(make_report(4), "LF-1", "sex", "1\n"),
           _signed_json(document, "CTRL-1")]
    async with client_for(node_settings(database_url, tmp_path)) as (client, runtime):
        for envelope, shown in zip(bad, ["\\t", "\\n", "x\\x01"], strict=True):
            response = await asyncio.wait_for(
                client.post("/api/v1/messages", content=envelope, headers=media(envelope)), 30)
            assert response.status_code == 200, response.text
            receipt = _receipt(response.content)
            assert (receipt.disposition, receipt.reason) == ("rejected", "invalid")
            assert receipt.issues and any(shown in f"{i.path} {i.message}"
                                          for i in receipt.issues)
        good = signed_message(make_report(6), demo_key(ZZ), ZZ, PROVINCE)
        response = await asyncio.wait_for(
            client.post("/api/v1/messages", content=good, headers=JOSE), 30)
        assert response.status_code == 200
        assert _receipt(response.content).disposition == "accepted"
        assert runtime.ready
        assert _count(runtime, messages) == 4  # the rejected ones too: evidence


@pytest.mark.parametrize("envelope_format", ["json", "xml"])
async def test_a_report_time_past_what_utc_holds_is_taken(database_url, tmp_path,
                                                          envelope_format):
    """9999-12-31T23:59:59-14:00 is a valid reportedAt, past the last moment UTC holds:
    the report is stored, at that last moment."""
    late = dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=dt.timezone(-dt.timedelta(hours=14)))
    report = make_report(7).model_copy(update={"reported_at": late})
    envelope = signed_message(report, demo_key(ZZ), ZZ, PROVINCE, envelope_format)
    async with client_for(node_settings(database_url, tmp_path)) as (client, runtime):
        response = await client.post("/api/v1/messages", content=envelope,
                                     headers=media(envelope))
        assert response.status_code == 200, response.text
        assert _receipt(response.content).disposition == "accepted"
        with runtime.engine.connect() as connection:
            stored = connection.execute(select(reports.c.reported_at)).scalar_one()
        assert stored == "9999-12-31T23:59:59.999999+00:00"


@pytest.mark.parametrize("message_id", ["a%00b", "a%01b", "%E7%8E%8B", "x" * 129])
async def test_an_id_no_message_may_have_is_not_found(database_url, tmp_path, message_id):
    """Asked before any store is (PostgreSQL refuses a NUL in text)."""
    async with client_for(node_settings(database_url, tmp_path)) as (client, _):
        response = await client.get(f"/api/v1/messages/{message_id}", headers=OPERATOR)
        assert response.status_code == 404, response.text
        assert response.json()["error"] == "not-found"


async def test_the_frameworks_own_refusals_have_our_shape(database_url, tmp_path):
    async with client_for(node_settings(database_url, tmp_path)) as (client, _):
        unknown = await client.get("/api/v1/nothing-here", headers=OPERATOR)
        assert (unknown.status_code, unknown.json()["error"]) == (404, "not-found")
        assert "GET /api/v1/nothing-here" in unknown.json()["message"]
        method = await client.get("/api/v1/notices", headers=OPERATOR)
        assert (method.status_code, method.json()["error"]) == (405, "method-not-allowed")
        assert method.headers["allow"] == "POST"
