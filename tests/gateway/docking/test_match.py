"""Matching notices to records: by ID number, by name and birth date — on both stores."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import Engine

from gateway.docking import Change, Ledger, PendingKind, Unchanged, decide
from gateway.docking._pending import Pending
from gateway.docking._read import read_notice
from gateway.store import make_engine, records, upgrade
from schema.models import v2
from tests.gateway.docking._people import PEOPLE, WANG, ZHANG, notice


@pytest.fixture
def engine(database_url: str) -> Any:
    made = make_engine(database_url)
    upgrade(made)
    with made.begin() as connection:
        connection.execute(records.insert(), [
            {"id_number": n, "version": 3, "updated_at": "2010-04-01T00:00:00+00:00",
             "last_report_id": f"R-{n}", "document": json.dumps(p, ensure_ascii=False).encode()}
            for n, p in PEOPLE.items()])
    yield made
    made.dispose()


def _decide(engine: Engine, document: dict[str, Any]) -> Any:
    made = read_notice(document)
    assert isinstance(made, v2.DepartmentNotice), made
    with engine.connect() as connection:
        return decide(Ledger(connection), made)


def test_a_known_person_is_changed_on_the_current_version(engine: Engine) -> None:
    found = _decide(engine, notice(employer={"name": "郑州市中原区建设路百货商店"}))
    assert isinstance(found, Change) and not found.opens
    assert found.base_version == 3 and found.fields == ("employer",)


def test_a_notice_that_changes_nothing_is_unchanged(engine: Engine) -> None:
    found = _decide(engine, notice("RESIDENCE_CHANGE", department="FG",
                                   residenceAddress=PEOPLE[WANG]["residenceAddress"]))
    assert found == Unchanged(3)


def test_a_name_that_differs_waits(engine: Engine) -> None:
    found = _decide(engine, notice(name="王秀云", employer={"name": "某店"}))
    assert isinstance(found, Pending) and found.kind is PendingKind.NAME_MISMATCH


def test_a_mistyped_number_waits_and_names_the_candidate(engine: Engine) -> None:
    # 张伟's number with another sequence: same name, same birth date, unknown number
    typo = "411621198802161577"
    found = _decide(engine, notice(id_number=typo, name="张伟", employer={"name": "某店"}))
    assert isinstance(found, Pending) and found.kind is PendingKind.POSSIBLE_MISTYPED_ID
    assert ZHANG[:4] + "*" * 12 + ZHANG[-2:] in found.reason_en


def test_an_unknown_person_waits(engine: Engine) -> None:
    found = _decide(engine, notice("MARITAL_CHANGE", "411621199008081312", "马超", "MZ",
                                   maritalStatus="21", marriageDate="2010-04-07"))
    assert isinstance(found, Pending) and found.kind is PendingKind.UNKNOWN_PERSON


def test_a_full_police_registration_of_an_unknown_person_opens(engine: Engine) -> None:
    found = _decide(engine, notice(
        "INFLOW", "411623198103091170", "郑浩", "GA", sex="1", birthDate="1981-03-09",
        hukouRegion="411623", residenceRegion="410102", residenceAddress="郑州市中原区嵩山路5号",
        inflowDate="2010-04-01", maritalStatus="10"))
    assert isinstance(found, Change) and found.opens and found.base_version == 0


def test_an_incomplete_registration_of_an_unknown_person_waits(engine: Engine) -> None:
    found = _decide(engine, notice(
        "INFLOW", "411623198103091170", "郑浩", "GA", sex="1", birthDate="1981-03-09",
        residenceRegion="410102", residenceAddress="郑州市中原区嵩山路5号",
        inflowDate="2010-04-01"))
    assert isinstance(found, Pending) and found.kind is PendingKind.UNKNOWN_PERSON


def test_a_second_notice_in_one_request_builds_on_the_first(engine: Engine) -> None:
    first = read_notice(notice(employer={"name": "甲店"}))
    second = read_notice(notice("RESIDENCE_CHANGE", department="FG",
                                residenceAddress="郑州市中原区建设路99号"))
    assert isinstance(first, v2.DepartmentNotice) and isinstance(second, v2.DepartmentNotice)
    with engine.connect() as connection:
        ledger = Ledger(connection)
        made = decide(ledger, first)
        assert isinstance(made, Change)
        ledger.set(WANG, made.after, made.base_version + 1)
        then = decide(ledger, second)
    assert isinstance(then, Change) and then.base_version == 4
    assert then.after["employer"] == {"name": "甲店"} and then.fields == ("residenceAddress",)
