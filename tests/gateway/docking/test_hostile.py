"""POST /api/v1/notices against what should not get through, both stores: a notice older
than the record's latest change of a field, a record with an open conflict, a report id
another node's docking already used, a notice id already used for a different notice, a name
typed with spaces or full-width characters."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.demo import demo_key, signed_message
from gateway.docking import report_id_of
from gateway.store import messages, notices, pending_items, record_history, reports
from tests.gateway._node import JOSE, OPERATOR
from tests.gateway.docking._people import WANG, ZHANG, notice, seed_report
from tests.gateway.docking.test_dock import (
    PROVINCE,
    ZZ,
    _count,
    _dock,
    _raise_conflict,
    _record,
    zhengzhou,
)

pytestmark = pytest.mark.anyio


def _dated(document: dict[str, Any], effective: str) -> dict[str, Any]:
    return {**document, "noticeId": f"{document['noticeId'][:20]}-{effective}",
            "effectiveDate": effective}


async def test_an_older_notice_does_not_overwrite_a_newer_change(database_url, tmp_path) -> None:
    async with zhengzhou(database_url, tmp_path) as (client, runtime):
        newer = _dated(notice("RESIDENCE_CHANGE", department="FG",
                              residenceAddress="郑州市中原区建设路99号"), "2010-05-01")
        assert (await _dock(client, newer))["notices"][0]["status"] == "matched"
        history = _count(runtime, record_history)
        older = _dated(notice("RESIDENCE_CHANGE", department="FG",
                              residenceAddress="郑州市中原区建设路5号"), "2010-04-01")
        (answer,) = (await _dock(client, older))["notices"]
        assert (answer["status"], answer["kind"]) == ("pending", "version-conflict")
        assert "residenceAddress" in answer["reasonEn"]
        view = await _record(client, WANG)
        assert view["record"]["residenceAddress"] == "郑州市中原区建设路99号"
        assert view["version"] == 2 and _count(runtime, record_history) == history
        # an older notice of a field no later change set still applies
        employer = _dated(notice(employer={"name": "甲店"}), "2010-04-01")
        (answer,) = (await _dock(client, employer))["notices"]
        assert (answer["status"], answer["recordVersion"]) == ("matched", 3)


async def test_a_record_with_an_open_conflict_takes_no_notice(database_url, tmp_path) -> None:
    async with zhengzhou(database_url, tmp_path) as (client, runtime):
        await _raise_conflict(client)
        (answer,) = (await _dock(client, notice(employer={"name": "乙店"})))["notices"]
        assert (answer["status"], answer["kind"]) == ("pending", "version-conflict")
        view = await _record(client, WANG)
        assert view["version"] == 2 and view["record"]["employer"] == {"name": "甲店"}
        assert _count(runtime, reports, reports.c.report_id.like("D-%")) == 1


async def test_once_its_conflict_is_resolved_a_record_takes_notices_again(
        database_url, tmp_path) -> None:
    async with zhengzhou(database_url, tmp_path) as (client, _):
        await _raise_conflict(client)
        [conflict] = (await client.get("/api/v1/pending", headers=OPERATOR)).json()["items"]
        url = f"/api/v1/pending/{conflict['id']}/resolve"
        assert (await client.post(url, json={"note": "已核实"})).status_code == 401
        bodies: list[object] = [{"note": " "}, {"note": "x" * 501}, {"note": 1},
                                {"other": "x"}, {}, {"note": "a\u0001b"}, [], "note"]
        for body in bodies:
            refused = await client.post(url, json=body, headers=OPERATOR)
            assert refused.status_code == 400 and refused.json()["error"] == "bad-request"
        for raw in (b"", b"{", b'{"note": "\xff"}', b"[" * 30_000 + b"]" * 30_000):
            refused = await client.post(url, content=raw, headers={
                **OPERATOR, "Content-Type": "application/json"})
            assert refused.status_code == 400 and refused.json()["error"] == "bad-request"
        huge = await client.post(url, content=b'{"note": "' + b"x" * 1_000_000 + b'"}',
                                 headers={**OPERATOR, "Content-Type": "application/json"})
        assert (huge.status_code, huge.json()["error"]) == (413, "too-large")
        plain = await client.post(url, content=b'{"note": "x"}',
                                  headers={**OPERATOR, "Content-Type": "text/plain"})
        assert (plain.status_code, plain.json()["error"]) == (415, "unsupported-media-type")
        missing = await client.post("/api/v1/pending/C999/resolve", json={"note": "x"},
                                    headers=OPERATOR)
        assert (missing.status_code, missing.json()["error"]) == (404, "not-found")
        done = await client.post(url, json={"note": " 省级报告单已核对，以本地为准 "},
                                 headers=OPERATOR)
        assert done.status_code == 200
        assert done.json() | {"resolvedAt": None} == {
            "id": conflict["id"], "status": "resolved", "resolvedAt": None,
            "resolution": "省级报告单已核对，以本地为准"}
        again = await client.post(url, json={"note": "again"}, headers=OPERATOR)
        assert again.json() == done.json() | {"status": "already-resolved"}
        assert (await client.get("/api/v1/pending", headers=OPERATOR)).json()["count"] == 0
        (answer,) = (await _dock(client, notice(employer={"name": "乙店"})))["notices"]
        assert answer["status"] == "matched"
        assert (await _record(client, WANG))["record"]["employer"] == {"name": "乙店"}


async def test_a_report_id_already_used_refuses_that_notice_alone(database_url, tmp_path) -> None:
    """Notice ids derive from content: another node docking the same notice routes a report
    ``D-<noticeId>`` here. That notice is refused; the others of the request are docked."""
    async with zhengzhou(database_url, tmp_path) as (client, runtime):
        taken = notice("RESIDENCE_CHANGE", ZHANG, "张伟", "FG", residenceAddress="某址")
        routed = seed_report(WANG, 1).model_copy(
            update={"report_id": report_id_of(taken["noticeId"])})
        envelope = signed_message(routed, demo_key(PROVINCE), PROVINCE, ZZ)
        assert (await client.post("/api/v1/messages", content=envelope,
                                  headers=JOSE)).status_code == 200
        good = notice(employer={"name": "甲店"})
        answers = (await _dock(client, good, taken))["notices"]
        assert [a["status"] for a in answers] == ["matched", "rejected"]
        assert answers[0]["recordVersion"] == 3
        assert answers[1]["rules"] == ["report.id-reused"]
        assert (await _record(client, WANG))["record"]["employer"] == {"name": "甲店"}
        assert (await _record(client, ZHANG))["version"] == 1
        assert _count(runtime, notices) == 1


def _reused(notice_id: str) -> dict[str, Any]:
    return {"noticeId": notice_id, "status": "rejected", "rules": ["notice.id-reused"],
            "issues": [{"rule": "notice.id-reused", "path": "noticeId",
                        "messageZh": f"通报编号 {notice_id} 已用于内容不同的另一份通报；"
                                     f"请为这份通报另编编号",
                        "messageEn": f"the notice id {notice_id} was used for a different "
                                     f"notice; give this notice its own id"}]}


def _elsewhere(document: dict[str, Any], row: int) -> dict[str, Any]:
    """The same notice read from another file and row."""
    return {**document, "source": {"file": "again.csv", "row": row}}


def _stored(runtime: Any) -> tuple[int, int, int, int]:
    return (_count(runtime, notices), _count(runtime, pending_items),
            _count(runtime, reports, reports.c.report_id.like("D-%")),
            _count(runtime, messages))


async def test_a_known_notice_id_with_other_content_is_refused(database_url, tmp_path) -> None:
    """A corrected (or tampered) notice sent under the id of one docked before is refused,
    not taken for a repeat; the first keeps its id, and the right content under a new id
    docks."""
    async with zhengzhou(database_url, tmp_path) as (client, runtime):
        first = notice(employer={"name": "甲店"})
        (answer,) = (await _dock(client, first))["notices"]
        assert answer["status"] == "matched"
        stored = _stored(runtime)
        corrected = {**notice(employer={"name": "乙店"}), "noticeId": first["noticeId"]}
        renamed = {**first, "subject": {**first["subject"], "name": "王秀云"}}
        (refused, other) = (await _dock(client, corrected, renamed))["notices"]
        assert refused == other == _reused(first["noticeId"])
        assert _stored(runtime) == stored
        view = await _record(client, WANG)
        assert view["version"] == 2 and view["record"]["employer"] == {"name": "甲店"}
        # the refusal is not remembered: the first's content is still a repeat
        (again,) = (await _dock(client, _elsewhere(first, 9)))["notices"]
        assert again == {"noticeId": first["noticeId"], "status": "duplicate",
                         "first": "matched", "reportId": answer["reportId"], "pendingId": None}
        # a version 1 form of the same notice is the same content
        (v1,) = (await _dock(client, {**first, "schemaVersion": "1"}))["notices"]
        assert v1["status"] == "duplicate"
        (fixed,) = (await _dock(client, notice(employer={"name": "乙店"})))["notices"]
        assert (fixed["status"], fixed["recordVersion"]) == ("matched", 3)


async def test_a_notice_id_reused_within_one_request_is_refused(database_url, tmp_path) -> None:
    async with zhengzhou(database_url, tmp_path) as (client, runtime):
        first = notice(employer={"name": "甲店"})
        corrected = {**notice(employer={"name": "乙店"}), "noticeId": first["noticeId"]}
        answers = (await _dock(client, first, corrected, _elsewhere(first, 7),
                               {**_elsewhere(first, 8), "schemaVersion": "1"}))["notices"]
        assert [a["status"] for a in answers] == ["matched", "rejected", "duplicate",
                                                  "duplicate"]
        assert answers[1] == _reused(first["noticeId"])
        assert _stored(runtime)[:3] == (1, 0, 1)
        assert (await _record(client, WANG))["record"]["employer"] == {"name": "甲店"}


async def test_a_pending_notice_id_reused_raises_no_second_item(database_url, tmp_path) -> None:
    async with zhengzhou(database_url, tmp_path) as (client, runtime):
        waiting = notice(name="王秀云", employer={"name": "乙店"})
        (answer,) = (await _dock(client, waiting))["notices"]
        assert (answer["status"], answer["kind"]) == ("pending", "name-mismatch")
        stored = _stored(runtime)
        other = {**waiting, "record": {"employer": {"name": "丙店"}}}
        answers = (await _dock(client, other, _elsewhere(waiting, 3)))["notices"]
        assert answers[0] == _reused(waiting["noticeId"])
        assert answers[1] == {"noticeId": waiting["noticeId"], "status": "duplicate",
                              "first": "pending", "reportId": None,
                              "pendingId": answer["pendingId"]}
        assert _stored(runtime) == stored


@pytest.mark.parametrize("name", ["王秀英 ", "王 秀英", "王秀英\u3000", "王秀英\u200b"])
async def test_a_name_typed_with_spaces_or_full_width_is_the_same_name(
        database_url, tmp_path, name: str) -> None:
    async with zhengzhou(database_url, tmp_path) as (client, runtime):
        (answer,) = (await _dock(client, notice(name=name, employer={"name": "甲店"})))["notices"]
        assert answer["status"] == "matched"
        assert (await _record(client, WANG))["record"]["name"] == "王秀英"
        # nor does it hide a mistyped number: the police registration opens no second record
        mistyped = "411622198503124549"
        (answer,) = (await _dock(client, notice(
            "INFLOW", mistyped, name, "GA", sex="2", birthDate="1985-03-12",
            hukouRegion="411622", residenceRegion="410102",
            residenceAddress="郑州市中原区建设路1号", inflowDate="2010-04-01",
            maritalStatus="10")))["notices"]
        assert (answer["status"], answer["kind"]) == ("pending", "possible-mistyped-id")
        missing = await client.get(f"/api/v1/records/{mistyped}", headers=OPERATOR)
        assert missing.status_code == 404
        assert _count(runtime, pending_items) == 1
