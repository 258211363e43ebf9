"""``/api/v1/records``: a person's record and history (operator only)."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Path

from gateway.app.deps import OperatorDep, RuntimeDep
from gateway.ingest import NotFound
from gateway.records import history_view, record_view

router = APIRouter(prefix="/api/v1/records", tags=["records"])
IdNumber = Annotated[str, Path(pattern=r"^[0-9]{17}[0-9X]$")]


def _masked(id_number: str) -> str:
    return id_number[:4] + "*" * 12 + id_number[-2:]


@router.get("/{id_number}")
async def get_record(id_number: IdNumber, runtime: RuntimeDep,
                     operator: OperatorDep) -> dict[str, Any]:
    """The current record, its version and its open conflicts."""
    def read() -> dict[str, Any] | None:
        with runtime.engine.connect() as connection:
            return record_view(connection, id_number)

    view = await asyncio.to_thread(read)
    if view is None:
        raise NotFound(f"no record for {_masked(id_number)}")
    return view


@router.get("/{id_number}/history")
async def get_history(id_number: IdNumber, runtime: RuntimeDep,
                      operator: OperatorDep) -> dict[str, Any]:
    """Every version of the record, oldest first."""
    def read() -> list[dict[str, Any]]:
        with runtime.engine.connect() as connection:
            return history_view(connection, id_number)

    versions = await asyncio.to_thread(read)
    if not versions:
        raise NotFound(f"no record for {_masked(id_number)}")
    return {"idNumber": id_number, "versions": versions}
