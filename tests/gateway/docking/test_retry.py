"""Docking a pending item's notice again, both stores: by itself once a received report
opens or changes the person's record (the person's record arrives, the versions a held
report waits for arrive), and by hand (``POST /api/v1/pending/{item}/retry`` and ``yipanqi
pending retry``) once a conflict is resolved or when the node does not dock by itself; and
the notice that must wait while a record holds reports for versions not yet received."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from gateway.audit import verify_chain
from gateway.cli import app, pending  # noqa: F401  (registers the command)
from gateway.demo import demo_key, signed_message
from gateway.store import audit_log, outbox, records_to_follow, reports
from schema.codes import ChangeType
from schema.models import v2
from tests.gateway._node import JOSE, OPERATOR, client_for, node_settings
from tests.gateway.docking._people import (
    HE,
    PEOPLE,
    WANG,
    ZHANG,
    expected_notices,
    notice,
    seed_batch,
    seed_report,
)
from tests.gateway.docking.test_dock import (
    PROVINCE,
    ZHOUKOU,
    ZZ,
    _count,
    _dock,
    _raise_conflict,
    _record,
    zhengzhou,
)

pytestmark = pytest.mark.anyio
#: A Zhoukou migrant Zhengzhou does not know until the province sends his record.
MA = "411621199008081312"


async def _send(client: httpx.AsyncClient, runtime: Any, report: v2.ChangeReport) -> None:
    """The province sends ``report`` to Zhengzhou, which takes it; then the node has docked
    what it unblocked (it does so once the sender is answered)."""
    envelope = signed_message(report, demo_key(PROVINCE), PROVINCE, ZZ)
    response = await client.post("/api/v1/messages", content=envelope, headers=JOSE)
    assert response.status_code == 200, response.text
    assert _count(runtime, reports, reports.c.report_id == report.report_id) == 1
    await runtime.writer.settled()


def _report(id_number: str, report_id: str, base_version: int,
            **changes: Any) -> v2.ChangeReport:
    """The province's report on ``id_number`` made on ``base_version``."""
    person = PEOPLE.get(id_number) or {**PEOPLE[ZHANG], "idNumber": MA, "name": "马超",
                                       "birthDate": "1990-08-08"}
    return seed_report(ZHANG).model_copy(update={
        "report_id": report_id, "base_version": base_version,
        "change_type": ChangeType.INFLOW if base_version == 0 else ChangeType.RESIDENCE_CHANGE,
        "record": v2.PersonRecord.model_validate({**person, **changes})})


async def _retry(client: httpx.AsyncClient, item: Any, status: int = 200) -> Any:
    response = await client.post(f"/api/v1/pending/{item}/retry", headers=OPERATOR)
    assert response.status_code == status, response.text
    return response.json()


async def _items(client: httpx.AsyncClient, status: str = "open") -> list[Any]:
    response = await client.get(f"/api/v1/pending?status={status}", headers=OPERATOR)
    items: list[Any] = response.json()["items"]
    return items


async def _events(runtime: Any) -> list[tuple[str, str, str]]:
    with runtime.engine.connect() as connection:
        assert verify_chain(connection).ok
        return [(e.action, e.subject, e.detail) for e in connection.execute(
            select(audit_log.c.action, audit_log.c.subject, audit_log.c.detail))]


async def test_a_notice_on_an_unknown_person_docks_by_itself_once_the_record_arrives(
        database_url, tmp_path) -> None:
    async with zhengzhou(database_url, tmp_path) as (client, runtime):
        sent = notice(id_number=MA, name="马超", employer={"name": "甲店"})
        (first,) = (await _dock(client, sent))["notices"]
        assert (first["status"], first["kind"]) == ("pending", "unknown-person")
        item = first["pendingId"]
        waiting = await _retry(client, item)
        assert (waiting["status"], waiting["notice"]["kind"]) == ("open", "unknown-person")
        assert _count(runtime, reports, reports.c.report_id.like("D-%")) == 0

        # the province's report opens 马超's record: the node docks the item as it takes it
        await _send(client, runtime, _report(MA, "SEED-MA", 0))
        report_id = "D-" + sent["noticeId"]
        assert _count(runtime, reports, reports.c.report_id == report_id) == 1
        record = await _record(client, MA)
        assert record["version"] == 2 and record["record"]["employer"] == {"name": "甲店"}
        # the report went the receive path: routed on to the registration place
        with runtime.engine.connect() as connection:
            documents = connection.execute(select(outbox.c.document).where(
                outbox.c.destination == ZHOUKOU)).scalars().all()
        assert any(report_id.encode() in d for d in documents)
        events = await _events(runtime)
        assert ("pending.retried", "1 items", '{"open":1}') in events
        assert ("pending.retried", "1 items: their records changed",
                '{"resolved":1}') in events

        assert item not in [i["id"] for i in await _items(client)]
        (listed,) = [i for i in await _items(client, "all") if i["id"] == item]
        assert listed["status"] == "resolved" and report_id in listed["resolution"]
        again = (await _dock(client, sent))["notices"][0]
        assert again == {"noticeId": sent["noticeId"], "status": "duplicate", "first": "matched",
                         "reportId": report_id, "pendingId": item}
        assert (await _retry(client, item))["status"] == "already-resolved"
        assert (await _record(client, MA))["version"] == 2


async def test_by_hand_when_the_node_does_not_dock_by_itself(database_url, tmp_path) -> None:
    async with zhengzhou(database_url, tmp_path, redock_on_change=False) as (client, runtime):
        sent = notice(id_number=MA, name="马超", employer={"name": "甲店"})
        (first,) = (await _dock(client, sent))["notices"]
        item = first["pendingId"]
        await _send(client, runtime, _report(MA, "SEED-MA", 0))
        assert [i["id"] for i in await _items(client)] == [item]
        assert (await _record(client, MA))["version"] == 1

        done = await _retry(client, item)
        assert done["status"] == "resolved"
        assert done["notice"] == {"noticeId": sent["noticeId"], "status": "matched",
                                  "reportId": "D-" + sent["noticeId"], "recordVersion": 2,
                                  "outcome": "applied"}
        assert ("pending.retried", "1 items", '{"resolved":1}') in await _events(runtime)


async def test_only_the_items_about_the_people_whose_records_changed(database_url,
                                                                      tmp_path) -> None:
    """马超 has two items and another stranger one; 张伟 one, as a name mismatch. The
    province's batch opens 马超's record and changes Wang's: 马超's two items dock, in
    effective-date order; the others stay open."""
    other = "411621199109091317"
    async with zhengzhou(database_url, tmp_path) as (client, runtime):
        answers = (await _dock(client,
                               notice(id_number=MA, name="马超", employer={"name": "甲店"}),
                               {**notice(id_number=MA, name="马超", phone="13600000001"),
                                "effectiveDate": "2010-05-01"},
                               notice(id_number=other, name="马超", phone="13600000002"),
                               notice(id_number=ZHANG, name="张卫", phone="13600000003"),
                               ))["notices"]
        assert [a["kind"] for a in answers] == ["unknown-person", "unknown-person",
                                                "unknown-person", "name-mismatch"]
        ma_first, ma_second, stranger, zhang = (a["pendingId"] for a in answers)
        batch = seed_batch([WANG]).model_copy(update={"reports": [
            _report(MA, "SEED-MA", 0),
            _report(WANG, "WANG-2", 1, phone="13700000009")], "report_count": 2})
        envelope = signed_message(batch, demo_key(PROVINCE), PROVINCE, ZZ)
        assert (await client.post("/api/v1/messages", content=envelope,
                                  headers=JOSE)).status_code == 200
        await runtime.writer.settled()
        still = {i["id"]: i["kind"] for i in await _items(client)}
        assert still == {stranger: "unknown-person", zhang: "name-mismatch"}
        record = (await _record(client, MA))
        assert record["version"] == 3
        assert (record["record"]["employer"], record["record"]["phone"]) == (
            {"name": "甲店"}, "13600000001")
        assert _count(runtime, reports, reports.c.report_id.like("D-%")) == 2
        assert {ma_first, ma_second}.isdisjoint(i["id"] for i in await _items(client))
        events = await _events(runtime)
        assert ("pending.retried", "2 items: their records changed",
                '{"resolved":2}') in events


async def test_an_item_that_still_waits_takes_todays_reason(database_url, tmp_path) -> None:
    """The record that arrives is of a 马超 the notice names otherwise: the item stays open,
    now as a name mismatch, and is listed so."""
    async with zhengzhou(database_url, tmp_path) as (client, runtime):
        sent = notice(id_number=MA, name="马朝", employer={"name": "甲店"})
        (first,) = (await _dock(client, sent))["notices"]
        assert first["kind"] == "unknown-person"
        await _send(client, runtime, _report(MA, "SEED-MA", 0))
        (listed,) = await _items(client)
        assert ("pending.retried", "1 items: their records changed",
                '{"open":1}') in await _events(runtime)
        again = await _retry(client, first["pendingId"])
        assert (again["status"], again["notice"]["kind"]) == ("open", "name-mismatch")
        assert (listed["id"], listed["kind"], listed["status"]) == (first["pendingId"],
                                                                   "name-mismatch", "open")
        assert listed["reasonEn"] == again["notice"]["reasonEn"]
        assert (await _record(client, MA))["version"] == 1


async def test_a_notice_held_by_a_conflict_docks_once_it_is_resolved(database_url,
                                                                     tmp_path) -> None:
    async with zhengzhou(database_url, tmp_path) as (client, runtime):
        await _raise_conflict(client)
        (answer,) = (await _dock(client, notice(phone="13900000000")))["notices"]
        assert (answer["status"], answer["kind"]) == ("pending", "version-conflict")
        assert (await _retry(client, answer["pendingId"]))["status"] == "open"
        conflict = await client.post("/api/v1/pending/C1/retry", headers=OPERATOR)
        assert conflict.status_code == 409 and conflict.json()["error"] == "not-retryable"
        for missing in ("C99", "C0"):
            absent = await client.post(f"/api/v1/pending/{missing}/retry", headers=OPERATOR)
            assert (absent.status_code, absent.json()["error"]) == (404, "not-found")
        resolved = await client.post("/api/v1/pending/C1/resolve", headers=OPERATOR,
                                     json={"note": "以甲店为准"})
        assert resolved.status_code == 200
        # resolving the conflict docks what waited on the record
        assert await _items(client) == []
        record = await _record(client, WANG)
        assert (record["version"], record["record"]["phone"]) == (3, "13900000000")
        assert (await _retry(client, answer["pendingId"]))["status"] == "already-resolved"
        assert ("pending.retried", "1 items: their records changed",
                '{"resolved":1}') in await _events(runtime)


async def test_a_record_holding_reports_ahead_takes_no_docked_change_till_they_apply(
        database_url, tmp_path) -> None:
    """Wang is at version 1; the province's report made on version 2 arrives first and is
    held. A notice docked now would take version 2, and the held report would then apply
    over it, dropping its change: it waits until the missing version arrives."""
    async with zhengzhou(database_url, tmp_path) as (client, runtime):
        await _send(client, runtime, _report(WANG, "AHEAD-2", 2,
                                             residenceAddress="郑州市中原区建设路3号",
                                             phone="13700000002"))
        (answer,) = (await _dock(client, notice(employer={"name": "甲店"})))["notices"]
        assert (answer["status"], answer["kind"]) == ("pending", "version-gap")
        assert (await _record(client, WANG))["version"] == 1
        gaps = await client.get("/api/v1/pending?kind=version-gap", headers=OPERATOR)
        assert [i["id"] for i in gaps.json()["items"]] == [answer["pendingId"]]
        assert (await client.get("/api/v1/pending?kind=unknown-person",
                                 headers=OPERATOR)).json()["count"] == 0
        assert (await client.get("/api/v1/pending?kind=x", headers=OPERATOR)).status_code == 400
        assert (await _retry(client, answer["pendingId"]))["notice"]["kind"] == "version-gap"

        await _send(client, runtime, _report(WANG, "MISSING-1", 1,
                                             residenceAddress="郑州市中原区建设路2号"))
        # MISSING-1 and the held AHEAD-2 apply (version 3), then the item docks (4)
        assert (await _record(client, WANG))["version"] == 4
        assert await _items(client) == []
        assert (await _retry(client, answer["pendingId"]))["status"] == "already-resolved"
        record = (await _record(client, WANG))["record"]
        assert record["residenceAddress"] == "郑州市中原区建设路3号"
        assert (record["phone"], record["employer"]) == ("13700000002", {"name": "甲店"})
        assert _count(runtime, reports, reports.c.status == "conflict") == 0


async def test_a_police_registration_waits_for_the_record_its_held_reports_need(
        database_url, tmp_path) -> None:
    """A report on an unknown migrant made on version 1 is held until the record opens: a
    police registration opening it now would take version 1 under that report."""
    async with zhengzhou(database_url, tmp_path) as (client, runtime):
        (he,) = [n for n in expected_notices("ga") if n["subject"]["idNumber"] == HE]
        opening = {**he["record"], "idNumber": HE, "name": he["subject"]["name"]}
        ahead = seed_report(ZHANG).model_copy(update={
            "report_id": "AHEAD-HE", "base_version": 1, "effective_date": dt.date(2010, 4, 8),
            "reported_at": dt.datetime(2010, 4, 9, 9, 0, tzinfo=dt.UTC),
            "change_type": ChangeType.RESIDENCE_CHANGE,
            "record": v2.PersonRecord.model_validate({**opening, "employer": {"name": "丙厂"}})})
        await _send(client, runtime, ahead)
        (answer,) = (await _dock(client, he))["notices"]
        assert (answer["status"], answer["kind"]) == ("pending", "version-gap")
        missing = await client.get(f"/api/v1/records/{HE}", headers=OPERATOR)
        assert missing.status_code == 404

        await _send(client, runtime, ahead.model_copy(update={
            "report_id": "INFLOW-HE", "base_version": 0, "change_type": ChangeType.INFLOW,
            "effective_date": dt.date(2010, 4, 7), "record": v2.PersonRecord.model_validate(
                opening)}))
        assert (await _record(client, HE))["version"] == 2
        assert await _items(client) == []
        (listed,) = await _items(client, "all")
        assert listed["id"] == answer["pendingId"]
        assert "the record needed no change (version 2)" in listed["resolution"]
        assert (await _record(client, HE))["record"]["employer"] == {"name": "丙厂"}


async def test_retry_is_for_the_operator_and_for_items_that_exist(database_url,
                                                                  tmp_path) -> None:
    async with zhengzhou(database_url, tmp_path) as (client, _):
        assert (await client.post("/api/v1/pending/1/retry")).status_code == 401
        for item in ("1", "abc", "99999999999", "-1"):
            assert (await _retry(client, item, 404))["error"] == "not-found"


def _cli_env(database_url: str, tmp_path: Path) -> dict[str, str]:
    """The environment of a clerk's command at Zhengzhou's node."""
    return {"YIPANQI_DATABASE_URL": database_url, "YIPANQI_DATA_DIR": str(tmp_path),
            "YIPANQI_NODE_ID": ZZ, "COLUMNS": "240"}


async def test_the_command_retries_named_items_or_all(database_url, tmp_path: Path) -> None:
    async with zhengzhou(database_url, tmp_path, redock_on_change=False) as (client, runtime):
        answers = (await _dock(client, notice(id_number=MA, name="马超", employer={"name": "甲店"}),
                               notice(name="王秀云", employer={"name": "乙店"})))["notices"]
        await _send(client, runtime, _report(MA, "SEED-MA", 0))
    ma, wang = (a["pendingId"] for a in answers)
    runner = CliRunner(env=_cli_env(database_url, tmp_path))
    for usage in (["pending", "retry"], ["pending", "retry", "1", "--all"]):
        assert runner.invoke(app, usage).exit_code == 2
    refused = runner.invoke(app, ["pending", "retry", "C1", "999", str(wang)])
    assert refused.exit_code == 1
    assert "no pending item C1" in refused.stderr  # no conflict was raised here
    assert "no pending item 999" in refused.stderr
    assert f"still pending 仍待核实: {wang} name-mismatch" in refused.stdout

    every = runner.invoke(app, ["pending", "retry", "--all"])
    assert every.exit_code == 0, every.output
    assert f"docked 已对接: {ma} → report D-" in every.stdout
    assert "(record version 2)" in every.stdout
    assert f"{wang} name-mismatch" not in every.stdout  # --all names only the docked
    assert "2 items retried: 1 docked 已对接, 1 still pending 仍待核实" in every.stdout
    as_json = runner.invoke(app, ["pending", "retry", str(ma), str(wang), "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    found = json.loads(as_json.stdout)
    assert [(i["id"], i["status"]) for i in found["items"]] == [(str(ma), "already-resolved"),
                                                               (str(wang), "open")]
    assert found["counts"] == {"already-resolved": 1, "open": 1}


async def test_a_notice_that_opens_a_record_brings_the_items_waiting_for_it(
        database_url, tmp_path) -> None:
    """An employment notice about 何 comes first and waits; her police registration opens
    her record, and the node docks the waiting notice. An earlier one sent with the
    registration, decided first in effective-date order, waits too: docked before it."""
    (he,) = [n for n in expected_notices("ga") if n["subject"]["idNumber"] == HE]
    name = he["subject"]["name"]
    employed = notice(id_number=HE, name=name, employer={"name": "丁厂"})
    earlier = {**notice(id_number=HE, name=name, employer={"name": "戊店"}),
               "effectiveDate": "2010-03-01"}
    assert earlier["effectiveDate"] < employed["effectiveDate"] < he["effectiveDate"]
    async with zhengzhou(database_url, tmp_path) as (client, runtime):
        (waiting,) = (await _dock(client, employed))["notices"]
        assert waiting["kind"] == "unknown-person"
        answers = (await _dock(client, earlier, he))["notices"]
        assert [a["status"] for a in answers] == ["pending", "opened"]
        assert await _items(client) == []
        record = await _record(client, HE)  # opened, then 戊店 (03-01), then 丁厂 (04-01)
        assert (record["version"], record["record"]["employer"]) == (3, {"name": "丁厂"})
        assert ("pending.retried", "2 items: their records changed",
                '{"resolved":2}') in await _events(runtime)


async def test_a_retry_that_docks_brings_the_items_about_the_same_person(
        database_url, tmp_path) -> None:
    """Two notices about Wang wait behind a conflict, which a clerk resolves with a command
    set not to dock. The clerk then retries one; it docks, and the node docks the other."""
    async with zhengzhou(database_url, tmp_path) as (client, runtime):
        await _raise_conflict(client)
        answers = (await _dock(client, notice(phone="13900000000"),
                               notice(employer={"name": "乙店"})))["notices"]
        assert [a["kind"] for a in answers] == ["version-conflict"] * 2
        resolved = CliRunner(env={**_cli_env(database_url, tmp_path),
                                  "YIPANQI_REDOCK_ON_CHANGE": "false"}).invoke(
            app, ["pending", "resolve", "C1", "--note", "以甲店为准"])
        assert resolved.exit_code == 0, resolved.output
        assert "docked again" not in resolved.output
        assert len(await _items(client)) == 2
        done = await _retry(client, answers[0]["pendingId"])
        assert (done["status"], done["notice"]["recordVersion"]) == ("resolved", 3)
        assert await _items(client) == []
        record = await _record(client, WANG)
        assert record["version"] == 4
        assert (record["record"]["phone"], record["record"]["employer"]) == (
            "13900000000", {"name": "乙店"})
        assert ("pending.retried", "1 items: their records changed",
                '{"resolved":1}') in await _events(runtime)


async def test_the_command_that_resolves_a_conflict_docks_what_waited(database_url,
                                                                      tmp_path) -> None:
    async with zhengzhou(database_url, tmp_path) as (client, _):
        await _raise_conflict(client)
        await _dock(client, notice(phone="13900000000"), notice(employer={"name": "乙店"}))
        env = _cli_env(database_url, tmp_path)
        conflict = CliRunner(env=env).invoke(app, ["pending", "retry", "C1"])
        assert conflict.exit_code == 1 and "C1 is a version conflict" in conflict.stderr
        keyless = CliRunner(env={**env, "YIPANQI_SIGNING_KEY": str(tmp_path / "none.pem")})
        first = keyless.invoke(app, ["pending", "resolve", "C1", "--note", "以甲店为准"])
        assert first.exit_code == 0, first.output
        assert "resolved 已核实: C1" in first.stdout
        assert "were not docked again" in first.stderr and "pending retry" in first.stderr
        assert len(await _items(client)) == 2
        # the conflict is resolved; its record's other conflict, raised now, is resolved
        # with the key at hand
        late = seed_batch([WANG]).reports[0].model_copy(update={"report_id": "LATE-2"})
        envelope = signed_message(late, demo_key(PROVINCE), PROVINCE, ZZ)
        assert (await client.post("/api/v1/messages", content=envelope,
                                  headers=JOSE)).status_code == 200
        second = CliRunner(env=env).invoke(app, ["pending", "resolve", "C2", "--note", "同上"])
        assert second.exit_code == 0, second.output
        assert ("2 items waiting on these records docked again: 2 docked 已对接, 0 still "
                "pending 仍待核实") in second.stdout
        assert await _items(client) == []


async def test_a_node_stopped_before_docking_what_a_batch_unblocked_docks_it_when_it_starts(
        database_url, tmp_path, monkeypatch) -> None:
    """The node takes the province's report and answers, then stops before its follower has
    docked the item the report unblocked: the person stays noted, and the node docks the
    item when it starts again."""
    monkeypatch.setattr("gateway.app._runtime._SETTLE_TIMEOUT", 0.2)
    sent = notice(id_number=MA, name="马超", employer={"name": "甲店"})
    async with zhengzhou(database_url, tmp_path) as (client, runtime):
        (first,) = (await _dock(client, sent))["notices"]
        assert first["kind"] == "unknown-person"
        (follower,) = [t for t in runtime.tasks if t.get_name() == "group-follower"]
        follower.cancel()  # what dies with the process: nothing docks from here on
        envelope = signed_message(_report(MA, "SEED-MA", 0), demo_key(PROVINCE), PROVINCE, ZZ)
        response = await client.post("/api/v1/messages", content=envelope, headers=JOSE)
        assert response.status_code == 200, response.text
        assert [i["id"] for i in await _items(client)] == [first["pendingId"]]
        assert _count(runtime, records_to_follow, records_to_follow.c.id_number == MA) == 1
        listed = await client.get("/api/v1/pending", headers=OPERATOR)
        assert listed.json()["toFollow"] == 1

    async with client_for(node_settings(database_url, tmp_path, node_id=ZZ)) as (client,
                                                                                 runtime):
        await runtime.writer.settled()
        assert await _items(client) == []
        record = await _record(client, MA)
        assert record["version"] == 2 and record["record"]["employer"] == {"name": "甲店"}
        assert _count(runtime, records_to_follow) == 0
        assert (await client.get("/api/v1/pending", headers=OPERATOR)).json()["toFollow"] == 0
        assert ("pending.retried", "1 items: their records changed",
                '{"resolved":1}') in await _events(runtime)


def _dated(document: dict[str, Any], effective: str) -> dict[str, Any]:
    return {**document, "effectiveDate": effective}


async def test_an_item_raised_by_the_request_that_opens_its_record_docks_by_itself(
        database_url, tmp_path) -> None:
    """No item is open before: the employment notice waits for the registration sent in
    the same request (decided first, in effective-date order), and docks once it opened."""
    (he,) = [n for n in expected_notices("ga") if n["subject"]["idNumber"] == HE]
    employed = _dated(notice(id_number=HE, name=he["subject"]["name"],
                             employer={"name": "丁厂"}), "2010-03-01")
    async with zhengzhou(database_url, tmp_path) as (client, runtime):
        assert await _items(client) == []
        answers = (await _dock(client, employed, he))["notices"]
        assert [a["status"] for a in answers] == ["pending", "opened"]
        assert await _items(client) == []
        record = await _record(client, HE)
        assert (record["version"], record["record"]["employer"]) == (2, {"name": "丁厂"})


async def test_what_docking_again_unblocks_is_docked_in_turn(database_url, tmp_path) -> None:
    """A birth naming the father and the marriage wait for 何's record. Her registration
    opens it as unmarried: the node docks both again; the birth, decided first, would make
    an unmarried record name a spouse and waits, the marriage applies; that change docks
    the birth in turn."""
    (he,) = [n for n in expected_notices("ga") if n["subject"]["idNumber"] == HE]
    he = {**he, "effectiveDate": "2010-03-20",
          "record": {**he["record"], "inflowDate": "2010-03-20", "maritalStatus": "10"}}
    name = he["subject"]["name"]
    father = {"idNumber": ZHANG, "name": "张伟"}
    birth = _dated(notice("BIRTH", HE, name, "WS", spouse=father, children=[
        {"name": "张小", "sex": "2", "birthDate": "2010-03-28", "birthOrder": 1}]),
        "2010-03-28")
    married = _dated(notice("MARITAL_CHANGE", HE, name, "MZ", maritalStatus="21",
                            marriageDate="2010-04-02", spouse=father), "2010-04-02")
    async with zhengzhou(database_url, tmp_path) as (client, runtime):
        waiting = (await _dock(client, birth, married))["notices"]
        assert [a["kind"] for a in waiting] == ["unknown-person"] * 2
        assert (await _dock(client, he))["notices"][0]["status"] == "opened"
        assert await _items(client) == []
        record = (await _record(client, HE))["record"]
        assert record["maritalStatus"] == "21" and record["spouse"] == father
        assert [c["name"] for c in record["children"]] == ["张小"]
