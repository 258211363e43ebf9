"""Data docking end to end: the seven departments' sample exports loaded into Zhengzhou with
``yipanqi import --submit`` update the right records, the police registration of an unknown
unmarried migrant opens hers, and the change reports reach the registration place (Zhoukou);
once the province has sent a stranger's record, Zhengzhou docks his waiting registration by
itself, and ``yipanqi pending retry --all`` finds the other two still waiting — real gateway
processes over HTTP, both stores."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from gateway.demo import OPERATOR_TOKEN, NodeProcess, demo_key, signed_message
from gateway.docking import masked, report_id_of
from gateway.store import reports
from tests.gateway.docking._people import (
    ADAPTERS,
    HE,
    PEOPLE,
    SUN,
    WANG,
    WU,
    YANG,
    ZHANG,
    ZHENG,
    ZHOU,
    expected_notices,
    sample_export,
    seed_batch,
)
from tests.gateway.e2e._cluster import (
    PROVINCE,
    ZHENGZHOU,
    ZHOUKOU,
    engine_of,
    post,
    running_cluster,
    wait_for,
    waiting,
)
from tests.gateway.store._db import STORES

pytestmark = pytest.mark.slow
AUTH = {"Authorization": f"Bearer {OPERATOR_TOKEN}"}
REGISTERED_IN_ZHOUKOU = [n for n, p in PEOPLE.items() if p["hukouRegion"].startswith("4116")]
#: The record the police sample's row 15 opens: 何晓燕, unknown to every node, unmarried.
OPENED = {"idNumber": HE, "name": "何晓燕", "sex": "2", "birthDate": "1991-10-23",
          "ethnicity": "01", "hukouRegion": "411625",
          "hukouAddress": "河南省周口市郸城县汲冢镇何楼村",
          "residenceRegion": "410102", "residenceAddress": "郑州市中原区工人路21号院",
          "inflowDate": "2010-04-06", "maritalStatus": "10", "phone": "13673845210"}


def _yipanqi(*args: str | Path, env: dict[str, str],
            cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from gateway.cli import main; main()",
                           *map(str, args)], capture_output=True, text=True, encoding="utf-8",
                          env={**os.environ, **env}, cwd=cwd, timeout=120, check=False)


def _record(node: NodeProcess, id_number: str) -> Any:
    response = httpx.get(f"{node.url}/api/v1/records/{id_number}", headers=AUTH, timeout=10)
    return response.json() if response.status_code == 200 else None


def _docked_reports(node: NodeProcess) -> dict[str, tuple[str, str]]:
    """The reports docking made: status and person, by reportId."""
    engine = engine_of(node)
    try:
        with engine.connect() as connection:
            rows = connection.execute(select(reports.c.report_id, reports.c.status,
                                             reports.c.id_number)
                                      .where(reports.c.report_id.like("D-%")))
            return {row.report_id: (row.status, row.id_number) for row in rows}
    finally:
        engine.dispose()


def _seed(nodes: dict[str, NodeProcess]) -> None:
    """The province's records of these migrants, as it would send them to each city."""
    key = demo_key(PROVINCE)
    for node_id, people in ((ZHENGZHOU, list(PEOPLE)), (ZHOUKOU, REGISTERED_IN_ZHOUKOU)):
        envelope = signed_message(seed_batch(people), key, PROVINCE, node_id)
        assert post(nodes[node_id], envelope).status_code == 200
    assert _record(nodes[ZHENGZHOU], WANG)["version"] == 1


def _load_samples(zz: NodeProcess, tmp_path: Path) -> None:
    for adapter in ADAPTERS:
        done = _yipanqi("import", sample_export(adapter), "--adapter", adapter,
                        "--submit", zz.url, "--rejects", tmp_path / f"{adapter}.rejects",
                        env={"YIPANQI_OPERATOR_TOKEN": OPERATOR_TOKEN}, cwd=tmp_path)
        # every sample has refused rows (exit 1); the taken ones must all be accepted
        assert done.returncode == 1, done.stderr
        assert "gateway" not in done.stderr and "Traceback" not in done.stderr, done.stderr


@pytest.mark.parametrize("store", STORES)
def test_department_exports_update_records_and_reach_the_registration_place(tmp_path, store):
    with running_cluster(tmp_path, store, [PROVINCE, ZHENGZHOU, ZHOUKOU]) as nodes:
        zz, zk = nodes[ZHENGZHOU], nodes[ZHOUKOU]
        _seed(nodes)
        _load_samples(zz, tmp_path)
        wait_for(lambda: all(waiting(n) == 0 for n in nodes.values()), 60, "the outboxes")

        # the right records changed at Zhengzhou
        wang = _record(zz, WANG)["record"]
        assert [c["name"] for c in wang["children"]] == ["李明", "李浩然"]
        assert wang["employer"] == {"name": "中原区建设路秀英百货店",
                                    "creditCode": "92410102086912341W"}
        assert wang["residenceAddress"] == "郑州市中原区建设西路187号院3号楼2单元"
        assert _record(zz, ZHANG)["record"]["spouse"]["name"] == "刘芳"
        assert _record(zz, SUN)["record"]["maritalStatus"] == "22"
        assert _record(zz, WU)["record"]["residenceRegion"] == "410105"
        assert [c["name"] for c in _record(zz, ZHENG)["record"]["children"]] == ["吴佳",
                                                                                "吴天佑"]
        assert _record(zz, ZHOU)["record"]["outflowDate"] == "2010-04-01"

        # the police registration of an unknown, unmarried migrant opened her record
        opened = _record(zz, HE)
        assert (opened["version"], opened["record"]) == (1, OPENED)
        (notice,) = [n for n in expected_notices("ga") if n["subject"]["idNumber"] == HE]
        assert opened["lastReportId"] == report_id_of(notice["noticeId"])

        # the married stranger of the police export (no marriage date: opens nothing) and
        # the two strangers of the marriage export wait for verification
        listed = _yipanqi("pending", "list", "--format", "json",
                          env={**zz.env, "YIPANQI_NODE_ID": ZHENGZHOU,
                               "YIPANQI_DATA_DIR": str(zz.data_dir)}, cwd=tmp_path)
        assert listed.returncode == 0, listed.stderr
        items = json.loads(listed.stdout)["items"]
        assert [i["kind"] for i in items] == ["unknown-person"] * 3
        assert masked(YANG) in {i["idNumber"] for i in items}
        assert _record(zz, YANG) is None

        # every docked report about a Zhoukou migrant, the opening one too, reached Zhoukou and
        # was applied there: its records are Zhengzhou's, version for version
        at_zz, at_zk = _docked_reports(zz), _docked_reports(zk)
        assert {status for status, _ in at_zz.values()} == {"applied"}
        assert at_zk.keys() == {rid for rid, (_, person) in at_zz.items()
                                if person in [*REGISTERED_IN_ZHOUKOU, HE]}
        assert {status for status, _ in at_zk.values()} == {"applied"}
        assert at_zk[opened["lastReportId"]] == ("applied", HE)
        at_province = _docked_reports(nodes[PROVINCE])
        assert at_province[opened["lastReportId"]] == ("applied", HE)
        assert _record(nodes[PROVINCE], HE)["record"] == OPENED
        for person in [*REGISTERED_IN_ZHOUKOU, HE]:
            here, there = _record(zz, person), _record(zk, person)
            assert (there["version"], there["record"]) == (here["version"], here["record"])
            assert here["version"] > 1 or person == HE
        assert _record(zk, ZHOU) is None  # registered in Zhengzhou: not Zhoukou's

        # asked to assist, the province sends 杨军's record; taking it, Zhengzhou docks his
        # police registration, whose report reaches Zhoukou like any other
        for node_id in (ZHENGZHOU, ZHOUKOU):
            envelope = signed_message(seed_batch([YANG]), demo_key(PROVINCE), PROVINCE, node_id)
            assert post(nodes[node_id], envelope).status_code == 200
        # (the node docks what a message unblocked once it has answered it)
        wait_for(lambda: (_record(zz, YANG) or {}).get("version") == 2, 30, "杨军's docking")
        retried = _yipanqi("pending", "retry", "--all",
                           env={**zz.env, "YIPANQI_NODE_ID": ZHENGZHOU,
                                "YIPANQI_DATA_DIR": str(zz.data_dir)}, cwd=tmp_path)
        assert retried.returncode == 0, retried.stderr
        assert "2 items retried: 0 docked 已对接, 2 still pending 仍待核实" in retried.stdout
        (notice,) = [n for n in expected_notices("ga") if n["subject"]["idNumber"] == YANG]
        yang = _record(zz, YANG)
        assert (yang["version"], yang["lastReportId"]) == (2, report_id_of(notice["noticeId"]))
        assert yang["record"]["residenceAddress"] == "郑州市中原区工人路23号"
        wait_for(lambda: all(waiting(n) == 0 for n in nodes.values()), 60, "the outboxes")
        there = _record(zk, YANG)
        assert (there["version"], there["record"]) == (2, yang["record"])
