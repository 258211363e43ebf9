"""``/api/v1/pending``: items waiting for verification (待核实), marking one resolved, and
docking an item's notice again; operator only."""

from __future__ import annotations

import asyncio
import functools
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, field_validator

from gateway.app.deps import OperatorDep, RuntimeDep
from gateway.docking import PendingKind, clean_note, pending_view, resolve, retry, retry_key
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


@router.post("/{item}/resolve")
async def resolve_pending(runtime: RuntimeDep, operator: OperatorDep,
                          item: Annotated[str, Path(max_length=20)],
                          body: ResolveBody) -> dict[str, Any]:
    """Mark a pending item (its number) or a version conflict (``C`` and its number) resolved,
    with a note; 404 when there is no such item. Again on a resolved item: its first
    resolution, ``status`` ``already-resolved``. Once a conflict is resolved, the node docks
    again the pending items about its record (setting ``redock_on_change``)."""
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
    key = retry_key(item)
    (done,) = await asyncio.to_thread(retry, runtime.engine, runtime.writer.context, [key])
    if done.status == "not-found":
        raise NotFound(f"no pending item {item}")
    return done.to_json()
