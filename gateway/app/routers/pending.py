"""``/api/v1/pending``: items waiting for verification (待核实), marking one resolved, and
docking an item's notice again; operator only."""

from __future__ import annotations

import asyncio
import functools
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from gateway.app._body import read_json_body
from gateway.app.deps import OperatorDep, RuntimeDep
from gateway.docking import (
    BodyMalformed,
    PendingKind,
    clean_note,
    decode_json,
    pending_view,
    resolve,
    retry,
    retry_key,
)
from gateway.errors import NotFound
from gateway.ingest import follow, people_to_follow

router = APIRouter(prefix="/api/v1/pending", tags=["pending"])


@router.get("")
async def get_pending(runtime: RuntimeDep, operator: OperatorDep,
                      status: Annotated[Literal["open", "all"], Query()] = "open",
                      limit: Annotated[int, Query(ge=1, le=10000)] = 1000,
                      kind: Annotated[PendingKind | None, Query()] = None) -> dict[str, Any]:
    """Pending items (docking) and version conflicts, oldest first; ``kind``: of that kind
    only. ``toFollow``: the people whose records changed and whose open items the node has
    not docked again yet (it does so by itself, soon)."""
    def read() -> tuple[list[dict[str, Any]], int]:
        with runtime.engine.connect() as connection:
            return (pending_view(connection, None if status == "all" else status, limit, kind),
                    people_to_follow(connection))

    items, to_follow = await asyncio.to_thread(read)
    return {"count": len(items), "items": items, "toFollow": to_follow}


class ResolveBody(BaseModel):
    """What the clerk verified and did (核实情况)."""

    model_config = ConfigDict(extra="forbid")

    note: str

    # clean_note's checks (blank, length, control characters) are the one rule for notes.
    @field_validator("note")
    @classmethod
    def _clean(cls, note: str) -> str:
        return clean_note(note)


#: The largest body a resolution is read from (a note is at most NOTE_LIMIT characters).
RESOLVE_BODY_LIMIT = 64 * 1024


async def _resolve_body(request: Request, limit: int, timeout: float) -> ResolveBody:
    """``{"note": TEXT}``, read within the node's limits like every other body (413, 408,
    415), then checked (400)."""
    body = await read_json_body(request, min(limit, RESOLVE_BODY_LIMIT), timeout)
    try:
        return ResolveBody.model_validate(decode_json(body))
    except BodyMalformed as exc:  # 400 bad-request, as every unreadable resolution was
        raise RequestValidationError([{"loc": ("body",), "type": "json_invalid",
                                       "msg": exc.message}]) from None
    except ValidationError as exc:  # answered like any invalid request (400 bad-request)
        raise RequestValidationError(exc.errors(include_url=False)) from None


@router.post("/{item}/resolve", openapi_extra={"requestBody": {
    "required": True,
    "content": {"application/json": {"schema": ResolveBody.model_json_schema()}}}})
async def resolve_pending(request: Request, runtime: RuntimeDep, operator: OperatorDep,
                          item: Annotated[str, Path(max_length=20)]) -> dict[str, Any]:
    """Mark a pending item (its number) or a version conflict (``C`` and its number) resolved,
    with a note (``{"note": TEXT}``); 404 when there is no such item. Again on a resolved
    item: its first resolution, ``status`` ``already-resolved``. Once a conflict is resolved,
    the node docks again the pending items about its record (setting ``redock_on_change``).
    400 for a note that is blank, too long or holds control characters; 408, 413, 415 as for
    every body."""
    settings = runtime.settings
    body = await _resolve_body(request, settings.max_body_bytes, settings.body_timeout)
    context = runtime.writer.context
    resolution = await asyncio.to_thread(
        functools.partial(resolve, runtime.engine, runtime.identity.node_id, item, body.note,
                          to_follow=context.after_apply is not None))
    # A conflict: what waited on its record may dock now.
    await asyncio.to_thread(follow, runtime.engine, context, resolution.noted)
    return resolution.to_json()


@router.post("/{item}/retry")
async def retry_pending(runtime: RuntimeDep, operator: OperatorDep,
                        item: Annotated[str, Path(max_length=20)]) -> dict[str, Any]:
    """Dock a pending item's notice again, against the records as they are now: ``status``
    ``resolved`` when it applied (``notice`` is its answer, as ``POST /api/v1/notices``
    gives it), ``open`` when it still waits (with today's reason), ``already-resolved``.
    404 when there is no such item, 409 for a version conflict (``C`` and a number)."""
    key = await asyncio.to_thread(retry_key, item, runtime.engine)
    (done,) = await asyncio.to_thread(retry, runtime.engine, runtime.writer.context, [key])
    if done.status == "not-found":
        raise NotFound(f"no pending item {item}")
    return done.to_json()
