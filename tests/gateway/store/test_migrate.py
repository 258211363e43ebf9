"""The Alembic head builds exactly the tables of the code (autogenerate finds nothing)."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from gateway.store import (
    METADATA,
    current_revision,
    head_revision,
    make_engine,
    notices,
    upgrade,
)


# SQLite cannot reflect an index on an expression: SQLAlchemy warns and leaves it out of
# the reflected side (so compare_metadata cannot judge it on SQLite; PostgreSQL does).
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
def test_migration_head_matches_the_tables(database_url):
    engine = make_engine(database_url)
    try:
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, METADATA)
    finally:
        engine.dispose()
    assert differences == []


def test_upgrade_is_idempotent(database_url):
    engine = make_engine(database_url)
    try:
        upgrade(engine)
        upgrade(engine)
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_notices_docked_before_0005_get_their_subjects_number(database_url):
    engine = make_engine(database_url)
    try:
        upgrade(engine, "0004")
        old = sa.table("notices", *(sa.column(c) for c in (
            "notice_id", "department", "change_type", "effective_date", "received_at",
            "outcome", "document")))
        documents = [json.dumps({"noticeId": f"RS-{i}", "subject": {
            "idNumber": number, "name": "王秀英"}}).encode()
            for i, number in enumerate(["411622198503124529", "41162319900712108X"])]
        with engine.begin() as connection:
            connection.execute(old.insert(), [{
                "notice_id": f"RS-{i}", "department": "RS", "change_type": "EMPLOYER_CHANGE",
                "effective_date": "2010-04-01", "received_at": "2010-04-02T00:00:00+00:00",
                "outcome": "pending", "document": document}
                for i, document in enumerate(documents)])
        upgrade(engine)
        with engine.connect() as connection:
            found = connection.execute(sa.select(notices.c.notice_id, notices.c.id_number)
                                       .order_by(notices.c.notice_id)).all()
    finally:
        engine.dispose()
    assert [tuple(row) for row in found] == [("RS-0", "411622198503124529"),
                                             ("RS-1", "41162319900712108X")]
