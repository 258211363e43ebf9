"""``yipanqi outbox list|resend`` and ``yipanqi audit verify``: output and exit codes.

The outbox is filled the real way: a node whose partners cannot be reached, its outbox worker
giving up after 0.05 s (``give_up_after``), dead-letters both copies of a report; the CLI
shows them and the partners it holds, and makes them due again.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import update

from gateway.cli import audit, outbox  # noqa: F401  (registers the commands)
from gateway.demo import demo_key, free_port, make_report, signed_message
from gateway.outbox import counts
from gateway.store import audit_log, make_engine
from tests.gateway._node import JOSE, client_for, node_settings
from tests.gateway.cli._run import run

ZZ = "410100-RKJS"
FAST_DEATH = {"enabled": True, "max_attempts": 2, "base_delay": 0.01, "max_delay": 0.02,
              "give_up_after": 0.05, "poll_interval": 0.02, "request_timeout": 1.0}


def _env(url: str, data_dir: Path) -> dict[str, str]:
    return {"YIPANQI_DATABASE_URL": url, "YIPANQI_NODE_ID": ZZ,
            "YIPANQI_DATA_DIR": str(data_dir), "YIPANQI_CONFIG": "", "COLUMNS": "200"}


async def _dead_letters(url: str, data_dir: Path) -> None:
    nowhere = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    settings = node_settings(url, data_dir, node_id=ZZ, outbox=FAST_DEATH,
                             endpoints={"410000-RKJS": nowhere, "411600-RKJS": nowhere})
    async with client_for(settings) as (client, runtime):
        own = signed_message(make_report(5), demo_key(ZZ), ZZ, ZZ)
        assert (await client.post("/api/v1/messages", content=own, headers=JOSE)) \
            .status_code == 200
        for _ in range(500):
            if counts(runtime.engine).get("dead") == 2:
                return
            await asyncio.sleep(0.02)
    pytest.fail(f"not dead-lettered: {counts(runtime.engine)}")


@pytest.fixture
def dead(database_url: str, tmp_path: Path) -> dict[str, str]:
    """A node store with two dead letters (the worker gave up on unreachable partners)."""
    asyncio.run(_dead_letters(database_url, tmp_path))
    return _env(database_url, tmp_path)


def test_list_shows_the_dead_letters(dead):
    result = run("outbox", "list", "--status", "dead", env=dead)
    assert result.exit_code == 0, result.output
    assert result.output.count("dead") >= 2 and "dead: 2" in result.output
    assert "410000-RKJS" in result.output
    assert "held 暂停投递: 410000-RKJS unreachable since" in result.output
    assert "held 暂停投递: 411600-RKJS unreachable since" in result.output
    assert "failed), next try" in result.output
    assert "ConnectError: All connection attempts failed" in result.output


def test_resend_makes_them_due_again(dead):
    result = run("outbox", "resend", "--all-dead", env=dead)
    assert result.exit_code == 0, result.output
    assert "2 entries due again" in result.output
    listed = run("outbox", "list", env=dead)
    assert "pending: 2" in listed.output and "dead:" not in listed.output
    assert run("outbox", "resend", "--all-dead", env=dead).output.startswith("0 entries")


def test_resend_needs_ids_or_all_dead(dead):
    assert run("outbox", "resend", env=dead).exit_code == 2
    for odd in ("0", str(2**31), "x"):  # a usage error on either store, never a traceback
        assert run("outbox", "resend", odd, env=dead).exit_code == 2


def test_resend_of_ids_naming_no_dead_entry_exits_1(dead):
    result = run("outbox", "resend", "999999", env=dead)
    assert result.exit_code == 1
    assert "1 of the ids given name no dead or rejected entry" in result.output


def test_list_takes_only_known_statuses_and_sane_limits(dead):
    assert run("outbox", "list", "--status", "dead", env=dead).exit_code == 0
    for args in (["--status", "bogus"], ["--limit", "0"], ["--limit", str(10**23)]):
        assert run("outbox", "list", *args, env=dead).exit_code == 2


def test_audit_verify_exit_codes(dead, database_url):
    intact = run("audit", "verify", env=dead)
    assert intact.exit_code == 0 and "audit log intact" in intact.output
    engine = make_engine(database_url)
    with engine.begin() as connection:
        connection.execute(update(audit_log).where(audit_log.c.seq == 1)
                           .values(subject="forged"))
    engine.dispose()
    broken = run("audit", "verify", env=dead)
    assert broken.exit_code == 1 and "BROKEN at entry 1" in broken.output
