"""The node commands on a store that is not there, not set up, or cannot be reached: a
clear error and exit 1, never a traceback or a new empty file; both stores."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import make_url
from typer.testing import CliRunner

from gateway.cli import app, audit, db, outbox, pending, serve  # noqa: F401  (registers them)
from gateway.store import make_engine, upgrade
from tests.gateway.store._db import fresh_database

COMMANDS = [["pending", "list"], ["pending", "resolve", "1", "--note", "已核实"],
            ["pending", "retry", "--all"], ["outbox", "list"], ["outbox", "resend", "1"],
            ["audit", "verify"]]


def _run(args: list[str], **env: str) -> tuple[int, str]:
    result = CliRunner(env=env).invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        f"unhandled {result.exception!r}"
    return result.exit_code, result.stderr


@pytest.mark.parametrize("args", COMMANDS)
def test_a_data_directory_without_a_store_is_named_not_created(tmp_path: Path,
                                                               args: list[str]) -> None:
    code, err = _run(args, YIPANQI_DATA_DIR=str(tmp_path / "none"))
    assert code == 1
    assert f"there is no store at sqlite:///{tmp_path / 'none' / 'gateway.db'}" in err
    assert "yipanqi db upgrade" in err
    assert not (tmp_path / "none" / "gateway.db").exists()


@pytest.mark.parametrize(("config", "said"), [
    ("missing.toml", "config file"), (".", "is a directory"), ("bad.toml", "cannot be read"),
    ("port.toml", "port: Input should be a valid integer"), ("binary.toml", "cannot be read")])
@pytest.mark.parametrize("args", [["pending", "list"], ["outbox", "list"], ["audit", "verify"],
                                  ["db", "current"]])
def test_settings_that_cannot_be_used_are_a_usage_error(tmp_path: Path, monkeypatch,
                                                        args: list[str], config: str,
                                                        said: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.toml").write_text("port = [", encoding="utf-8")
    (tmp_path / "port.toml").write_text('port = "x"\n', encoding="utf-8")
    (tmp_path / "binary.toml").write_bytes(b"\x8c\xff\x00 binary")
    code, err = _run([*args, "--config", config])
    assert code == 2 and said in " ".join(err.replace("│", " ").split())
    assert not (tmp_path / "yipanqi-data").exists()


def test_db_current_names_a_missing_store_without_making_it(tmp_path: Path) -> None:
    code, err = _run(["db", "current"], YIPANQI_DATA_DIR=str(tmp_path / "none"))
    assert code == 1 and "there is no store at" in err
    assert not (tmp_path / "none").exists()


def test_a_postgresql_store_makes_no_data_directory(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with fresh_database("postgresql", tmp_path / "db") as url:
        code, _ = _run(["db", "current"], YIPANQI_DATABASE_URL=url)
    assert code == 0
    assert not (tmp_path / "yipanqi-data").exists()


def test_a_database_url_that_cannot_be_read_is_a_usage_error(tmp_path: Path) -> None:
    code, err = _run(["pending", "list"], YIPANQI_DATABASE_URL="garbage",
                     YIPANQI_DATA_DIR=str(tmp_path))
    assert code == 2 and "cannot be read" in " ".join(err.replace("│", " ").split())


@pytest.mark.parametrize("args", COMMANDS)
def test_a_store_without_tables_says_to_upgrade(database_url: str, tmp_path: Path,
                                                args: list[str]) -> None:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        assert url.database is not None
        sqlite3.connect(url.database).close()  # an empty file
    code, err = _run(args, YIPANQI_DATABASE_URL=database_url, YIPANQI_DATA_DIR=str(tmp_path))
    assert code == 1
    assert "holds no tables, this release needs" in err and "yipanqi db upgrade" in err
    engine = make_engine(database_url)
    upgrade(engine)
    engine.dispose()
    code, err = _run(["pending", "list"], YIPANQI_DATABASE_URL=database_url,
                     YIPANQI_DATA_DIR=str(tmp_path))
    assert (code, err) == (0, "")


@pytest.mark.parametrize("args", [*COMMANDS, ["serve"], ["db", "upgrade"], ["db", "current"]])
def test_a_server_that_cannot_be_reached_is_named_without_its_password(
        tmp_path: Path, args: list[str]) -> None:
    url = "postgresql+psycopg://postgres:secret@127.0.0.1:9/yipanqi"
    code, err = _run(args, YIPANQI_DATABASE_URL=url, YIPANQI_DATA_DIR=str(tmp_path))
    assert code == 1
    assert "the store at postgresql+psycopg://postgres:***@127.0.0.1:9/yipanqi cannot be " \
           "reached: connection failed" in err
    assert "secret" not in err


@pytest.mark.parametrize("args", [["serve"], ["pending", "retry", "--all"]])
def test_a_missing_key_is_named_before_anything_starts(tmp_path: Path,
                                                       args: list[str]) -> None:
    code, err = _run(args, YIPANQI_DATA_DIR=str(tmp_path),
                     YIPANQI_SIGNING_KEY=str(tmp_path / "missing.pem"))
    assert code == 1
    assert "the node's key or directory cannot be used" in err and "missing.pem" in err
