"""The gateway's store: tables (SQLModel), engines, migrations (Alembic), the write lock.

SQLite is the embedded default, PostgreSQL the store by URL. The hot path writes through
SQLAlchemy Core on the tables below, never through ORM objects.
"""

from gateway.store._engine import is_sqlite, make_engine
from gateway.store._lock import write_lock
from gateway.store._migrate import current_revision, head_revision, upgrade
from gateway.store._tables import (
    METADATA,
    AuditEntry,
    Conflict,
    DeadLetter,
    Message,
    OutboxEntry,
    Receipt,
    Record,
    RecordVersion,
    Report,
    audit_log,
    conflicts,
    dead_letters,
    messages,
    outbox,
    receipts,
    record_history,
    records,
    reports,
)

__all__ = [
    "AuditEntry",
    "Conflict",
    "DeadLetter",
    "METADATA",
    "Message",
    "OutboxEntry",
    "Receipt",
    "Record",
    "RecordVersion",
    "Report",
    "audit_log",
    "conflicts",
    "current_revision",
    "dead_letters",
    "head_revision",
    "is_sqlite",
    "make_engine",
    "messages",
    "outbox",
    "receipts",
    "record_history",
    "records",
    "reports",
    "upgrade",
    "write_lock",
]
