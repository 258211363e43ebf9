"""Liveness and readiness."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from gateway.app.deps import RuntimeDep
from gateway.store import current_revision, head_revision

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process answers."""
    return {"status": "ok"}


@router.get("/readyz", response_model=None)
async def readyz(runtime: RuntimeDep) -> dict[str, Any] | JSONResponse:
    """The store answers, is migrated, and the writer and worker run."""
    try:
        revision = await asyncio.to_thread(current_revision, runtime.engine)
    except Exception as exc:  # noqa: BLE001 - any store failure means not ready
        return JSONResponse({"status": "unavailable", "store": type(exc).__name__},
                            status_code=503)
    ready = runtime.ready and revision == head_revision()
    body = {"status": "ready" if ready else "starting", "node": runtime.identity.node_id,
            "revision": revision}
    return body if ready else JSONResponse(body, status_code=503)
