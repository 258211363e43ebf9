"""``/api/v1/records``: a person's record and history (operator only)."""

from __future__ import annotations

import asyncio
import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from fastapi.exceptions import RequestValidationError

from gateway.app.deps import OperatorDep, RuntimeDep
from gateway.ingest import NotFound
from gateway.records import history_view, record_view
from schema.identity import upgrade_id15

router = APIRouter(prefix="/api/v1/records", tags=["records"])
_ID_RE = re.compile(r"[0-9]{17}[0-9Xx]|[0-9]{15}")


def _id_number(id_number: Annotated[str, Path(
        description="18 characters (a lowercase x is read as X), or a 15-digit legacy "
                    "number, upgraded as the adapters upgrade it")]) -> str:
    """The record's key: the number as the standard writes it."""
    if not _ID_RE.fullmatch(id_number):
        raise RequestValidationError([{
            "loc": ("path", "id_number"), "type": "value_error",
            "msg": "not a citizen ID number: 18 characters (17 digits and a digit or X), "
                   "or 15 digits"}])
    return upgrade_id15(id_number) if len(id_number) == 15 else id_number.upper()


IdNumber = Annotated[str, Depends(_id_number)]


def _masked(id_number: str) -> str:
    return id_number[:4] + "*" * 12 + id_number[-2:]


@router.get("/{id_number}")
async def get_record(operator: OperatorDep, id_number: IdNumber,
                     runtime: RuntimeDep) -> dict[str, Any]:
    """The current record, its version and its open conflicts."""
    def read() -> dict[str, Any] | None:
        with runtime.engine.connect() as connection:
            return record_view(connection, id_number)

    view = await asyncio.to_thread(read)
    if view is None:
        raise NotFound(f"no record for {_masked(id_number)}")
    return view


@router.get("/{id_number}/history")
async def get_history(operator: OperatorDep, id_number: IdNumber,
                      runtime: RuntimeDep) -> dict[str, Any]:
    """Every version of the record, oldest first."""
    def read() -> list[dict[str, Any]]:
        with runtime.engine.connect() as connection:
            return history_view(connection, id_number)

    versions = await asyncio.to_thread(read)
    if not versions:
        raise NotFound(f"no record for {_masked(id_number)}")
    return {"idNumber": id_number, "versions": versions}
