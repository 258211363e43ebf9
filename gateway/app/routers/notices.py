"""``/api/v1/notices``: department notices from the node's own clerks (operator only).

``yipanqi import FILE --adapter NAME --submit URL`` posts ``{"notices": [...]}``; the answer
lists, per notice in the order sent: ``matched`` (reportId, recordVersion), ``opened`` (a
new record), ``pending`` (pendingId, kind, reason), ``duplicate`` or ``rejected`` (rules).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from fastapi import APIRouter, Request

from gateway.app._body import read_json_body
from gateway.app.deps import OperatorDep, RuntimeDep
from gateway.docking import dock, read_body, read_notice

router = APIRouter(prefix="/api/v1/notices", tags=["notices"])


@router.post("")
async def post_notices(request: Request, runtime: RuntimeDep,
                       operator: OperatorDep) -> dict[str, Any]:
    """Dock department notices: match each to a record, open one, or raise a pending item.

    One transaction per request; a notice already docked (same noticeId) is acknowledged
    as ``duplicate`` and not applied again. 400 when the body is not ``{"notices": [...]}``,
    401 without the operator token, 413 too large, 415 not JSON, 503 store unavailable.
    """
    settings = runtime.settings
    body = await read_json_body(request, settings.max_body_bytes, settings.body_timeout)
    objects = await asyncio.to_thread(read_body, body)
    today = dt.date.today()
    items = await asyncio.to_thread(lambda: [read_notice(obj, today) for obj in objects])
    answers = await asyncio.to_thread(dock, runtime.engine, runtime.writer.context, items)
    counts: dict[str, int] = {}
    for answer in answers:
        counts[answer["status"]] = counts.get(answer["status"], 0) + 1
    return {"count": len(answers), "counts": counts, "notices": answers}
