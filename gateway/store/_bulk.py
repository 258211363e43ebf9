"""Bulk inserts straight to the driver's ``executemany``: the statement compiled once,
the rows passed as they are (SQLAlchemy's per-row parameter processing costs ~6 µs a row,
a second for a 10,000-report batch's rows)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Dialect, Table


def insert_many(connection: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys, values of the driver's types) into ``table``.

    Falls back to a Core ``executemany`` when the statement needs more than the rows give
    (column defaults).
    """
    if not rows:
        return
    sql, names, positional = _statement(table, tuple(rows[0]), connection.dialect)
    if sql is None:
        connection.execute(table.insert(), list(rows))
    elif positional:
        connection.exec_driver_sql(sql, [tuple(row[n] for n in names) for row in rows])
    else:
        connection.exec_driver_sql(sql, list(rows))


@functools.lru_cache(maxsize=64)
def _statement(table: Table, keys: tuple[str, ...],
               dialect: Dialect) -> tuple[str | None, tuple[str, ...], bool]:
    """The INSERT for these keys, compiled once: SQL, parameter names in order, positional."""
    compiled = table.insert().compile(dialect=dialect, column_keys=list(keys))
    names = compiled.positiontup if compiled.positional else list(compiled.params)
    if names is None or any(name not in keys for name in names):
        return None, (), False
    return str(compiled), tuple(names), compiled.positional


def insert_returning_ids(connection: Connection, table: Table,
                         rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert ``rows`` into ``table``; their new ``id`` values, in the order of ``rows``.

    SQLite: one ``INSERT … RETURNING id`` per row on the driver's cursor (in-process, no
    round trip); elsewhere SQLAlchemy's batched insert-many-values with sorted RETURNING.
    """
    if not rows:
        return []
    sql, names, positional = _statement(table, tuple(rows[0]), connection.dialect)
    if sql is None or not positional or connection.dialect.name != "sqlite":
        result = connection.execute(table.insert().returning(
            table.c.id, sort_by_parameter_order=True), list(rows))
        return [row.id for row in result.all()]
    cursor = connection.connection.cursor()
    try:
        returning = sql + " RETURNING id"
        return [cursor.execute(returning, tuple(row[n] for n in names)).fetchone()[0]
                for row in rows]
    finally:
        cursor.close()
