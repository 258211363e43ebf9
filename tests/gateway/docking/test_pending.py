"""Pending items: the view (items and version conflicts) and ``yipanqi pending list``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from gateway.cli import app, pending  # noqa: F401  (registers the command)
from gateway.docking import masked, pending_view
from gateway.docking._pending import name_mismatch, unknown_person
from gateway.store import conflicts, make_engine, pending_items, upgrade
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
