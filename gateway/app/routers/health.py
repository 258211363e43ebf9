"""Liveness and readiness."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from gateway.app.deps import RuntimeDep
from gateway.store import current_revision, head_revision

router = APIRouter(tags=["health"])


# HEAD too: monitors ask so (RFC 9110 §9.3.2: wherever GET is, HEAD is).
@router.head("/healthz", include_in_schema=False)
@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process answers."""
    return {"status": "ok"}


@router.head("/readyz", include_in_schema=False, response_model=None)
@router.get("/readyz", response_model=None)
async def readyz(runtime: RuntimeDep) -> dict[str, Any] | JSONResponse:
    """The store answers, is migrated, and the writer and worker run. A 503 carries
    ``error`` and ``message`` as every refusal does."""
    try:
        revision = await asyncio.to_thread(current_revision, runtime.engine)
    except Exception as exc:  # noqa: BLE001 - any store failure means not ready
        return JSONResponse({"status": "unavailable", "store": type(exc).__name__,
                             "error": "store-unavailable",
                             "message": "the store does not answer"}, status_code=503)
    head = head_revision()
    ready = runtime.ready and revision == head
    body = {"status": "ready" if ready else "starting", "node": runtime.identity.node_id,
            "revision": revision}
    if ready:
        return body
    why = "the node is starting" if revision == head else \
        f"the store is at revision {revision}, this release needs {head}"
    return JSONResponse({**body, "error": "not-ready", "message": why}, status_code=503)
