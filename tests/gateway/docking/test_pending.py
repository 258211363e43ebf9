"""Pending items: the view (items and version conflicts), marking them resolved, and
``yipanqi pending list|resolve``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from gateway.audit import verify_chain
from gateway.cli import app, pending  # noqa: F401  (registers the command)
from gateway.docking import (
    NOTE_LIMIT,
    PendingKind,
    Resolution,
    clean_note,
    masked,
    pending_view,
    resolve,
)
from gateway.docking._pending import name_mismatch, unknown_person
from gateway.errors import NotFound
from gateway.ingest import note, people_to_follow
from gateway.store import (
    audit_log,
    conflicts,
    make_engine,
    pending_items,
    records_to_follow,
    upgrade,
)
from tests.gateway.docking._people import WANG, ZHANG

NOW = dt.datetime(2010, 4, 8, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def engine(database_url: str):
    made = make_engine(database_url)
    upgrade(made)
    with made.begin() as connection:
        connection.execute(pending_items.insert(), [
            unknown_person(WANG).row("MZ-1", NOW),
            {**name_mismatch(ZHANG).row("MZ-2", NOW + dt.timedelta(minutes=1)),
             "status": "resolved"}])
        connection.execute(conflicts.insert(), [
            {"id_number": WANG, "report_id": "R-9", "base_version": 1, "record_version": 2,
             "raised_at": (NOW + dt.timedelta(minutes=2)).isoformat(), "status": "open"}])
    yield made
    made.dispose()


def test_masked_keeps_four_and_two() -> None:
    assert masked(WANG) == "4116************29"


def test_open_items_and_conflicts_oldest_first(engine: Engine) -> None:
    with engine.connect() as connection:
        items = pending_view(connection)
        every = pending_view(connection, None)
    assert [(i["kind"], i["noticeId"]) for i in items] == [("unknown-person", "MZ-1"),
                                                           ("version-conflict", None)]
    assert [i["kind"] for i in every] == ["unknown-person", "name-mismatch", "version-conflict"]
    assert all(WANG not in json.dumps(i) and ZHANG not in json.dumps(i) for i in every)


def test_the_command_lists_as_json_and_text(engine: Engine, database_url: str,
                                            tmp_path: Path) -> None:
    env = {"YIPANQI_DATABASE_URL": database_url, "YIPANQI_DATA_DIR": str(tmp_path),
           "COLUMNS": "240"}
    runner = CliRunner(env=env)
    result = runner.invoke(app, ["pending", "list", "--format", "json", "--status", "all"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert listed["count"] == 3 and listed["items"][1]["status"] == "resolved"
    text = runner.invoke(app, ["pending", "list"])
    assert text.exit_code == 0 and "unknown-person" in text.stdout
    assert "version-conflict" in text.stdout and "name-mismatch" not in text.stdout
    assert "2 items" in text.stdout


def test_items_of_one_kind(engine: Engine, database_url: str, tmp_path: Path) -> None:
    with engine.connect() as connection:
        def kinds(kind: PendingKind, status: str | None = "open") -> list[object]:
            return [i["id"] for i in pending_view(connection, status, kind=kind)]

        assert kinds(PendingKind.UNKNOWN_PERSON) == [1]
        assert kinds(PendingKind.VERSION_CONFLICT) == ["C1"]
        assert kinds(PendingKind.NAME_MISMATCH) == [] and kinds(PendingKind.NAME_MISMATCH,
                                                               None) == [2]
        assert kinds(PendingKind.VERSION_GAP) == []
    env = {"YIPANQI_DATABASE_URL": database_url, "YIPANQI_DATA_DIR": str(tmp_path)}
    runner = CliRunner(env=env)
    listed = runner.invoke(app, ["pending", "list", "--kind", "version-conflict", "--format",
                                 "json"])
    assert listed.exit_code == 0, listed.output
    assert [i["id"] for i in json.loads(listed.stdout)["items"]] == ["C1"]
    assert runner.invoke(app, ["pending", "list", "--kind", "no-such-kind"]).exit_code == 2


def test_resolving_an_item_keeps_the_note_and_writes_an_audit_event(engine: Engine) -> None:
    at = NOW + dt.timedelta(days=1)
    done = resolve(engine, "410100-RKJS", "1", "已电话核实：本人已离开郑州", now=at)
    assert done == Resolution("1", "resolved", at.isoformat(), "已电话核实：本人已离开郑州")
    with engine.connect() as connection:
        assert [i["id"] for i in pending_view(connection)] == ["C1"]
        [item] = [i for i in pending_view(connection, None) if i["id"] == 1]
        events = connection.execute(select(audit_log.c.action, audit_log.c.subject,
                                           audit_log.c.detail)).all()
        assert verify_chain(connection).ok
    assert (item["status"], item["resolvedAt"], item["resolution"]) == (
        "resolved", at.isoformat(), "已电话核实：本人已离开郑州")
    assert [(e.action, e.subject) for e in events] == [("pending.resolved", "pending/1")]
    assert json.loads(events[0].detail) == {"note": "已电话核实：本人已离开郑州"}
    again = resolve(engine, "410100-RKJS", "1", "another note")
    assert again == Resolution("1", "already-resolved", at.isoformat(),
                               "已电话核实：本人已离开郑州")


def test_a_version_conflict_is_resolved_by_its_c_number(engine: Engine) -> None:
    done = resolve(engine, "410100-RKJS", "c1", " 报告单 R-9 已补报 ")
    assert (done.id, done.status, done.note) == ("C1", "resolved", "报告单 R-9 已补报")
    with engine.connect() as connection:
        assert [i["id"] for i in pending_view(connection)] == [1]
        assert connection.execute(select(conflicts.c.status)).scalar_one() == "resolved"
        subject = connection.execute(select(audit_log.c.subject)).scalar_one()
    assert subject == "pending/C1"
    with pytest.raises(ValueError, match="blank"):
        resolve(engine, "410100-RKJS", "1", " ")


@pytest.mark.parametrize("item", ["99", "C99", "x", "1.5", "", "C", "-1", "１", "2147483647",
                                  "2147483648", "C" + "9" * 18, "9" * 40])
def test_an_item_that_does_not_exist_is_not_found(engine: Engine, item: str) -> None:
    with pytest.raises(NotFound):
        resolve(engine, "410100-RKJS", item, "note")
    with engine.connect() as connection:
        assert len(pending_view(connection)) == 2


@pytest.mark.parametrize("note", ["", "   ", "x" * (NOTE_LIMIT + 1), "a\x00b", "tab\there"])
def test_a_note_must_say_something_printable(note: str) -> None:
    with pytest.raises(ValueError):
        clean_note(note)


def test_a_note_may_span_lines() -> None:
    assert clean_note("  第一行\n第二行 ") == "第一行\n第二行"


def test_the_command_resolves_and_lists_the_resolution(engine: Engine, database_url: str,
                                                       tmp_path: Path) -> None:
    env = {"YIPANQI_DATABASE_URL": database_url, "YIPANQI_DATA_DIR": str(tmp_path),
           "COLUMNS": "240"}
    runner = CliRunner(env=env)
    result = runner.invoke(app, ["pending", "resolve", "1", "77", "C1", "--note", "已核实"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == ["resolved 已核实: 1", "resolved 已核实: C1"]
    assert "no pending item 77" in result.stderr
    again = runner.invoke(app, ["pending", "resolve", "1", "--note", "再次"])
    assert again.exit_code == 0 and again.stdout.startswith("already resolved 早已核实: 1 (")
    listed = json.loads(runner.invoke(app, ["pending", "list", "--format", "json"]).stdout)
    assert listed == {"count": 0, "items": [], "toFollow": 0}  # nothing waits: none noted
    text = runner.invoke(app, ["pending", "list", "--status", "all"]).stdout
    assert text.count("已核实") == 2 and "3 items" in text
    for usage in (["pending", "resolve", "1"], ["pending", "resolve", "1", "--note", " "],
                  ["pending", "resolve", "--note", "x"]):
        assert runner.invoke(app, usage).exit_code == 2


def test_resolving_a_conflict_notes_its_person_to_follow_when_asked(engine: Engine) -> None:
    """In the same transaction: the items that waited on the record are docked again even
    if the process stops before it does so."""
    done = resolve(engine, "410100-RKJS", "C1", "以甲店为准", now=NOW, to_follow=True)
    assert done.person == WANG and done.noted is not None and done.noted.people == {WANG}
    with engine.connect() as connection:
        assert connection.execute(select(records_to_follow.c.id_number)).scalars().all() \
            == [WANG]
        assert people_to_follow(connection) == 1
    again = resolve(engine, "410100-RKJS", "C1", "以甲店为准", to_follow=True)
    assert again.status == "already-resolved" and again.noted is None
    plain = resolve(engine, "410100-RKJS", "1", "已电话核实", to_follow=True)
    assert plain.person is None and plain.noted is None  # an item, not a conflict


def test_the_list_says_how_many_people_wait_to_be_followed(engine: Engine, database_url: str,
                                                           tmp_path: Path) -> None:
    with engine.begin() as connection:
        note(connection, {WANG, ZHANG})
    with engine.begin() as connection:
        note(connection, {WANG})
    runner = CliRunner(env={"YIPANQI_DATABASE_URL": database_url,
                            "YIPANQI_DATA_DIR": str(tmp_path), "COLUMNS": "240"})
    listed = runner.invoke(app, ["pending", "list", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    assert json.loads(listed.stdout)["toFollow"] == 2
    text = runner.invoke(app, ["pending", "list"])
    assert "2 people whose records changed" in text.stdout


def test_a_conflict_resolved_by_a_command_that_cannot_dock_leaves_its_person_noted(
        engine: Engine, database_url: str, tmp_path: Path) -> None:
    """The command cannot read the node's key here (the docked reports are signed with it):
    the record's person stays noted, and the node docks the items when it next runs."""
    runner = CliRunner(env={"YIPANQI_DATABASE_URL": database_url,
                            "YIPANQI_DATA_DIR": str(tmp_path), "COLUMNS": "240",
                            "YIPANQI_SIGNING_KEY": str(tmp_path / "no-such.key.pem")})
    result = runner.invoke(app, ["pending", "resolve", "C1", "--note", "以甲店为准"])
    assert result.exit_code == 0, result.output
    assert "the node docks them when it next starts" in result.stderr
    listed = json.loads(runner.invoke(app, ["pending", "list", "--format", "json"]).stdout)
    assert [i["id"] for i in listed["items"]] == [1] and listed["toFollow"] == 1
