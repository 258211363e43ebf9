"""The gateway's store: tables (SQLModel), engines, migrations (Alembic), the write lock.

SQLite is the embedded default, PostgreSQL the store by URL. The hot path writes through
SQLAlchemy Core on the tables below, never through ORM objects.
"""

from gateway.store._bulk import insert_many, insert_returning_ids
from gateway.store._engine import checkpoint, is_sqlite, make_engine
from gateway.store._lock import write_lock
from gateway.store._migrate import current_revision, head_revision, upgrade
from gateway.store._tables import (
    LARGEST_ID,
    METADATA,
    AuditEntry,
    Conflict,
    DeadLetter,
    DockedNotice,
    HeldDestination,
    Message,
    OutboxEntry,
    PendingItem,
    Receipt,
    Record,
    RecordVersion,
    Report,
    audit_log,
    birth_segment,
    conflicts,
    dead_letters,
    destinations,
    messages,
    notices,
    outbox,
    pending_items,
    receipts,
    record_history,
    records,
    reports,
)

__all__ = [
    "AuditEntry",
    "Conflict",
    "DeadLetter",
    "DockedNotice",
    "HeldDestination",
    "LARGEST_ID",
    "METADATA",
    "Message",
    "OutboxEntry",
    "PendingItem",
    "Receipt",
    "Record",
    "RecordVersion",
    "Report",
    "audit_log",
    "birth_segment",
    "checkpoint",
    "conflicts",
    "current_revision",
    "dead_letters",
    "destinations",
    "head_revision",
    "insert_many",
    "insert_returning_ids",
    "is_sqlite",
    "make_engine",
    "messages",
    "notices",
    "outbox",
    "pending_items",
    "receipts",
    "record_history",
    "records",
    "reports",
    "upgrade",
    "write_lock",
]
