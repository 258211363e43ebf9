"""POST /api/v1/notices on a node (Zhengzhou), both stores: matched, opened, pending,
duplicate, rejected; one transaction; the reports take the receive path and are routed."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from gateway.demo import demo_key, signed_message
from gateway.docking import MAX_NOTICES, dock, masked, read_notice, report_id_of
from gateway.store import messages, notices, outbox, pending_items, record_history, reports
from schema.models import v2
from tests.gateway._node import JOSE, OPERATOR, client_for, node_settings
from tests.gateway.docking._people import (
    ADAPTERS,
    HE,
    PEOPLE,
    SUN,
    WANG,
    YANG,
    ZHANG,
    ZHOU,
    expected_notices,
    notice,
    seed_batch,
)

pytestmark = pytest.mark.anyio
ZZ, PROVINCE, ZHOUKOU = "410100-RKJS", "410000-RKJS", "411600-RKJS"


@asynccontextmanager
async def zhengzhou(database_url: str, tmp_path: Path, **settings: Any
                    ) -> AsyncIterator[tuple[httpx.AsyncClient, Any]]:
    """Zhengzhou's node, holding the records of the people of the samples (version 1)."""
    async with client_for(node_settings(database_url, tmp_path, node_id=ZZ,
                                        **settings)) as (client, rt):
        seed = signed_message(seed_batch(list(PEOPLE)), demo_key(PROVINCE), PROVINCE, ZZ)
        answer = await client.post("/api/v1/messages", content=seed, headers=JOSE)
        assert answer.status_code == 200
        yield client, rt


async def _dock(client: httpx.AsyncClient, *documents: Any) -> Any:
    response = await client.post("/api/v1/notices", json={"notices": list(documents)},
                                 headers=OPERATOR)
    assert response.status_code == 200, response.text
    return response.json()


async def _record(client: httpx.AsyncClient, id_number: str) -> Any:
    response = await client.get(f"/api/v1/records/{id_number}", headers=OPERATOR)
    assert response.status_code == 200
    return response.json()


def _count(runtime: Any, table: Any, *where: Any) -> int:
    with runtime.engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)
                                      .where(*where)).scalar_one())


async def test_the_seven_department_samples_update_the_records(database_url, tmp_path) -> None:
    async with zhengzhou(database_url, tmp_path) as (client, runtime):
        counts: dict[str, int] = {}
        for adapter in ADAPTERS:
            for status, n in (await _dock(client, *expected_notices(adapter)))["counts"].items():
                counts[status] = counts.get(status, 0) + n
        assert counts == {"matched": 31, "opened": 1, "pending": 3}
        wang = (await _record(client, WANG))["record"]
        assert [c["name"] for c in wang["children"]] == ["李明", "李浩然"]
        assert wang["employer"]["creditCode"] == "92410102086912341W"
        assert wang["phone"] == "13803712468" and wang["inflowDate"] == "2010-03-15"
        zhang = (await _record(client, ZHANG))["record"]
        assert zhang["maritalStatus"] == "21" and zhang["spouse"]["name"] == "刘芳"
        sun = (await _record(client, SUN))["record"]
        assert sun["maritalStatus"] == "22" and sun["spouse"]["name"] == "周敏"
        zhou = (await _record(client, ZHOU))["record"]
        assert zhou["outflowDate"] == "2010-04-01" and zhou["maritalStatus"] == "21"
        # the police registration of an unknown, unmarried migrant opened her record
        he = await _record(client, HE)
        assert he["version"] == 1 and he["record"]["maritalStatus"] == "10"
        assert (he["record"]["name"], he["record"]["inflowDate"]) == ("何晓燕", "2010-04-06")
        # that of a married one (no marriage date) waits
        pending = (await client.get("/api/v1/pending", headers=OPERATOR)).json()["items"]
        assert [i["kind"] for i in pending] == ["unknown-person"] * 3
        assert masked(YANG) in {i["idNumber"] for i in pending}
        # the reports went the receive path: one self-signed message per request, routed on
        assert _count(runtime, messages, messages.c.sender == ZZ) == len(ADAPTERS)
        docked = _count(runtime, reports, reports.c.report_id.like("D-%"))
        assert docked == _count(runtime, reports, reports.c.report_id.like("D-%"),
                                reports.c.status == "applied")
        assert _count(runtime, outbox, outbox.c.destination == ZHOUKOU) > 0
        assert _count(runtime, outbox, outbox.c.destination == PROVINCE,
                      outbox.c.message_type == "ChangeReportBatch") == len(ADAPTERS)


async def test_a_repeat_is_acknowledged_not_applied_twice(database_url, tmp_path) -> None:
    async with zhengzhou(database_url, tmp_path) as (client, runtime):
        first = await _dock(client, notice(employer={"name": "甲店"}))
        (answer,) = first["notices"]
        assert answer["status"] == "matched" and answer["recordVersion"] == 2
        assert answer["reportId"] == "D-" + answer["noticeId"]
        history = _count(runtime, record_history)
        same = notice(employer={"name": "甲店"})
        again = await _dock(client, same, same)
        assert [a["status"] for a in again["notices"]] == ["duplicate", "duplicate"]
        assert again["notices"][0]["reportId"] == answer["reportId"]
        assert _count(runtime, record_history) == history
        assert (await _record(client, WANG))["version"] == 2


async def test_notices_in_one_request_chain_their_versions(database_url, tmp_path) -> None:
    async with zhengzhou(database_url, tmp_path) as (client, _):
        answers = (await _dock(client, notice(employer={"name": "甲店"}),
                               notice("RESIDENCE_CHANGE", department="FG",
                                      residenceAddress="郑州市中原区建设路99号")))["notices"]
        assert [(a["status"], a["recordVersion"]) for a in answers] == [("matched", 2),
                                                                         ("matched", 3)]
        record = (await _record(client, WANG))["record"]
        assert record["employer"] == {"name": "甲店"}
        assert record["residenceAddress"] == "郑州市中原区建设路99号"


async def test_rejected_notices_name_their_rules_the_rest_is_docked(database_url, tmp_path):
    async with zhengzhou(database_url, tmp_path) as (client, runtime):
        bad_id = notice(employer={"name": "甲店"}, notice_id="RS-bad")
        bad_id["subject"]["idNumber"] = "41162219850312452"
        wrong_sex = notice(sex="1", employer={"name": "乙店"})
        future = {**notice(employer={"name": "丙店"}), "effectiveDate": "2999-01-01"}
        answers = (await _dock(client, bad_id, wrong_sex, future, [1, 2],
                               notice(employer={"name": "丁店"})))["notices"]
        assert [a["status"] for a in answers] == ["rejected"] * 4 + ["matched"]
        assert answers[0]["rules"] == ["schema"] and answers[0]["noticeId"] == "RS-bad"
        assert answers[1]["rules"] == ["id.sex"]
        assert "dates.future" in answers[2]["rules"]
        assert answers[3]["noticeId"] is None
        assert _count(runtime, notices) == 1


async def test_a_full_police_registration_opens_a_record_routed_on(database_url, tmp_path) -> None:
    async with zhengzhou(database_url, tmp_path) as (client, runtime):
        new = "411623198103091170"
        (answer,) = (await _dock(client, notice(
            "INFLOW", new, "郑浩", "GA", sex="1", birthDate="1981-03-09", hukouRegion="411623",
            residenceRegion="410102", residenceAddress="郑州市中原区嵩山路5号",
            inflowDate="2010-04-01", maritalStatus="10")))["notices"]
        assert answer["status"] == "opened" and answer["recordVersion"] == 1
        view = await _record(client, new)
        assert view["version"] == 1 and view["lastReportId"] == answer["reportId"]
        with runtime.engine.connect() as connection:
            documents = connection.execute(select(outbox.c.document)
                                           .where(outbox.c.destination == ZHOUKOU)).scalars().all()
        assert any(answer["reportId"].encode() in d for d in documents)


async def test_a_police_registration_of_an_unknown_married_migrant_opens_nothing(
        database_url, tmp_path) -> None:
    """The police know no marriage date: the GA adapter leaves a married status off the
    notice, which then cannot open a record and waits; a notice that did carry it would be
    refused (marriage.date-missing); and were one docked, the record it would open breaks the
    rule, so it would wait as record-invalid rather than open."""
    async with zhengzhou(database_url, tmp_path) as (client, runtime):
        (yang,) = [n for n in expected_notices("ga") if n["subject"]["idNumber"] == YANG]
        assert "maritalStatus" not in yang["record"]
        (answer,) = (await _dock(client, yang))["notices"]
        assert (answer["status"], answer["kind"]) == ("pending", "unknown-person")
        married = {**yang, "noticeId": "GA-married", "record": {**yang["record"],
                                                               "maritalStatus": "20"}}
        (answer,) = (await _dock(client, married))["notices"]
        assert (answer["status"], answer["rules"]) == ("rejected", ["marriage.date-missing"])
        unchecked = v2.DepartmentNotice.model_validate(  # past the notice rules
            {k: v for k, v in married.items() if k not in ("type", "schemaVersion")}
            | {"noticeId": "GA-unchecked"})
        (answer,) = await asyncio.to_thread(dock, runtime.engine, runtime.writer.context,
                                            [unchecked])
        assert (answer["status"], answer["kind"]) == ("pending", "record-invalid")
        assert "marriage.date-missing" in answer["reasonEn"]
        missing = await client.get(f"/api/v1/records/{YANG}", headers=OPERATOR)
        assert missing.status_code == 404
        assert _count(runtime, reports, reports.c.report_id.like("D-%")) == 0


async def test_what_cannot_be_applied_waits_as_pending_items(database_url, tmp_path) -> None:
    async with zhengzhou(database_url, tmp_path) as (client, runtime):
        answers = (await _dock(
            client,
            notice(id_number="411621198802161577", name="张伟", employer={"name": "甲店"}),
            notice(name="王秀云", employer={"name": "乙店"}),
            notice("MARITAL_CHANGE", "411621199008081312", "马超", "MZ", maritalStatus="21",
                   marriageDate="2010-04-07"),
            {**notice("OUTFLOW", department="GA", outflowDate="2010-02-01"),
             "effectiveDate": "2010-02-01"}))["notices"]
        assert [a.get("kind") for a in answers] == ["possible-mistyped-id", "name-mismatch",
                                                    "unknown-person", "record-invalid"]
        assert "dates.order" in answers[3]["reasonEn"]
        listed = (await client.get("/api/v1/pending", headers=OPERATOR)).json()
        assert listed["count"] == 4
        assert sorted(i["id"] for i in listed["items"]) == sorted(a["pendingId"] for a in answers)
        assert all("*" * 12 in i["idNumber"] for i in listed["items"])
        assert _count(runtime, pending_items, pending_items.c.status == "open") == 4
        again = await _dock(client, notice(name="王秀云", employer={"name": "乙店"}))
        assert again["notices"][0] == {"noticeId": answers[1]["noticeId"], "status": "duplicate",
                                       "first": "pending", "reportId": None,
                                       "pendingId": answers[1]["pendingId"]}


async def _raise_conflict(client: Any) -> None:
    """Wang's record docks a notice (version 2), then the province's report LATE-1, made on
    version 1, arrives: a version conflict."""
    await _dock(client, notice(employer={"name": "甲店"}))
    late = seed_batch([WANG]).reports[0].model_copy(update={"report_id": "LATE-1"})
    envelope = signed_message(late, demo_key(PROVINCE), PROVINCE, ZZ)
    assert (await client.post("/api/v1/messages", content=envelope,
                              headers=JOSE)).status_code == 200


async def test_version_conflicts_are_listed_beside_pending_items(database_url, tmp_path) -> None:
    async with zhengzhou(database_url, tmp_path) as (client, _):
        await _raise_conflict(client)
        items = (await client.get("/api/v1/pending?status=all", headers=OPERATOR)).json()["items"]
        assert [i["kind"] for i in items] == ["version-conflict"]
        assert "LATE-1" in items[0]["reasonEn"]


@pytest.mark.parametrize(("body", "headers", "status"), [
    (b'{"notices": [', {"Content-Type": "application/json"}, 400),
    (b'{"notices": {}}', {"Content-Type": "application/json"}, 400),
    (b'{"notices": [], "more": 1}', {"Content-Type": "application/json"}, 400),
    (b'{"notices": [], "notices": []}', {"Content-Type": "application/json"}, 400),
    (b'[]', {"Content-Type": "application/json"}, 400),
    (b'{"notices": []}', {"Content-Type": "text/plain"}, 415),
    (json.dumps({"notices": [{}] * (MAX_NOTICES + 1)}).encode(),
     {"Content-Type": "application/json"}, 413),
])
async def test_bad_requests_are_refused_not_failed(database_url: str, tmp_path: Path, body: bytes,
                                                    headers: dict[str, str], status: int) -> None:
    async with zhengzhou(database_url, tmp_path) as (client, _):
        response = await client.post("/api/v1/notices", content=body,
                                     headers={**OPERATOR, **headers})
        assert response.status_code == status
        assert "error" in response.json()


async def test_notices_and_pending_need_the_operator_token(database_url, tmp_path) -> None:
    async with zhengzhou(database_url, tmp_path) as (client, _):
        assert (await client.post("/api/v1/notices", json={"notices": []})).status_code == 401
        assert (await client.get("/api/v1/pending",
                                 headers={"Authorization": "Bearer zz-token"})).status_code == 401
        empty = await client.post("/api/v1/notices", json={"notices": []}, headers=OPERATOR)
        assert empty.json() == {"count": 0, "counts": {}, "notices": []}


def test_a_report_id_always_fits_the_standard() -> None:
    assert report_id_of("GA-1") == "D-GA-1"
    long = report_id_of("X" * 64)
    assert len(long) == 64 and long.startswith("D-") and long == report_id_of("X" * 64)


async def test_a_notice_id_of_full_length_is_docked(database_url, tmp_path) -> None:
    async with zhengzhou(database_url, tmp_path) as (client, _):
        (answer,) = (await _dock(client, notice(employer={"name": "甲店"},
                                                notice_id="RS-" + "a" * 61)))["notices"]
        assert answer["status"] == "matched" and len(answer["reportId"]) == 64


async def test_a_notice_of_today_docks_in_the_early_morning_east_of_utc(
        database_url, tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    """07:30 in Zhengzhou is 23:30 UTC the day before: the report written for a notice
    effective today (the node's today) is dated in the node's offset, not refused as
    lying in the future."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        morning = dt.datetime(2010, 4, 6, 23, 30, tzinfo=dt.UTC)  # 2010-04-07 07:30 +08:00
        today = morning.astimezone().date()
        assert today == dt.date(2010, 4, 7)
        async with zhengzhou(database_url, tmp_path) as (client, runtime):
            document = {**notice(phone="13900000001"), "effectiveDate": today.isoformat()}
            item = read_notice(document, today)
            answers = await asyncio.to_thread(dock, runtime.engine, runtime.writer.context,
                                              [item], morning)
            assert answers[0]["status"] == "matched", answers
            record = await _record(client, WANG)
            assert record["record"]["phone"] == "13900000001"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
