"""The people of the department samples (fixtures/departments) as records a node holds
before docking (``fixtures/departments/records.py``), the samples and what they give, and
notices written by hand."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from fixtures.departments.records import (
    ASKED_FOR,
    HE,
    LI,
    LIU,
    PEOPLE,
    QIAN,
    SUN,
    WANG,
    WU,
    YANG,
    ZHANG,
    ZHENG,
    ZHOU,
    seed_batch,
    seed_report,
)

DEPARTMENTS = Path(__file__).resolve().parents[3] / "fixtures" / "departments"
ADAPTERS = ["ga", "mz", "ws", "rs", "jy", "gs", "fg"]

__all__ = ["ADAPTERS", "ASKED_FOR", "HE", "LI", "LIU", "PEOPLE", "QIAN", "SUN", "WANG", "WU",
           "YANG", "ZHANG", "ZHENG", "ZHOU", "expected_notices", "notice", "sample_export",
           "seed_batch", "seed_report"]


def sample_export(adapter: str) -> Path:
    return next(p for p in (DEPARTMENTS / adapter).iterdir() if p.name != "expected.json")


def expected_notices(adapter: str) -> list[dict[str, Any]]:
    notices: list[dict[str, Any]] = json.loads(
        (DEPARTMENTS / adapter / "expected.json").read_text(encoding="utf-8"))["notices"]
    return notices


def _digest(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:32]


def notice(change_type: str = "EMPLOYER_CHANGE", id_number: str = WANG, name: str = "王秀英",
           department: str = "RS", notice_id: str | None = None,
           **record: Any) -> dict[str, Any]:
    """A notice document (JSON) about one person."""
    return {"type": "DepartmentNotice", "schemaVersion": "2",
            "noticeId": notice_id or f"{department}-{_digest(change_type, id_number, record)}",
            "department": department, "region": "410102", "changeType": change_type,
            "effectiveDate": "2010-04-01", "source": {"file": "test.csv", "row": 2},
            "subject": {"idNumber": id_number, "name": name}, "record": record}
