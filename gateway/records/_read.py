"""Read a person's record, its history and its open conflicts (operator API)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, select

from gateway.store import conflicts, record_history, records


def record_view(connection: Connection, id_number: str) -> dict[str, Any] | None:
    row = connection.execute(select(records).where(records.c.id_number == id_number)).first()
    if row is None:
        return None
    raised = connection.execute(select(conflicts).where(conflicts.c.id_number == id_number)
                                .order_by(conflicts.c.id)).all()
    return {"idNumber": row.id_number, "version": row.version, "updatedAt": row.updated_at,
            "lastReportId": row.last_report_id, "record": json.loads(row.document),
            "conflicts": [{"reportId": c.report_id, "baseVersion": c.base_version,
                           "recordVersion": c.record_version, "raisedAt": c.raised_at,
                           "status": c.status} for c in raised]}


def history_view(connection: Connection, id_number: str) -> list[dict[str, Any]]:
    rows = connection.execute(select(record_history)
                              .where(record_history.c.id_number == id_number)
                              .order_by(record_history.c.version)).all()
    return [{"version": r.version, "reportId": r.report_id, "changeType": r.change_type,
             "effectiveDate": r.effective_date, "appliedAt": r.applied_at,
             "record": json.loads(r.document)} for r in rows]
