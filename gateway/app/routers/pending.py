"""``/api/v1/pending``: items waiting for verification (待核实), operator only."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from gateway.app.deps import OperatorDep, RuntimeDep
from gateway.docking import pending_view

router = APIRouter(prefix="/api/v1/pending", tags=["pending"])


@router.get("")
async def get_pending(runtime: RuntimeDep, operator: OperatorDep,
                      status: Annotated[Literal["open", "all"], Query()] = "open",
                      limit: Annotated[int, Query(ge=1, le=10000)] = 1000) -> dict[str, Any]:
    """Pending items (docking) and version conflicts, oldest first."""
    def read() -> list[dict[str, Any]]:
        with runtime.engine.connect() as connection:
            return pending_view(connection, None if status == "all" else status, limit)

    items = await asyncio.to_thread(read)
    return {"count": len(items), "items": items}
