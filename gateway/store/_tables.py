"""The tables of a gateway's store, as SQLModel classes (the hot path uses their Core tables).

    messages        every message received, verbatim (evidence), its digest and status
    receipts        the receipts issued for them (signed envelopes)
    reports         each change report of an accepted message, by reportId (business key)
    records         the current record of each person, with its version
    record_history  every version of every record
    conflicts       reports that could not be applied: behind the record's version
    outbox          messages to partners, written with the change that caused them
    dead_letters    outbox entries given up after the configured attempts
    destinations    partners the outbox cannot reach: held, with a growing delay, until one
                    delivery gets through
    audit_log       append-only, hash-chained log of what the node did
    notices         department notices docked (数据对接), by noticeId, and what became of them
    pending_items   notices waiting for verification (待核实): unknown person, mistyped number…
    records_to_follow  people whose records a write opened or changed while items were
                    open, until the items about them are docked again (kept across restarts)

Times people read are RFC 3339 text; times the node schedules by are epoch seconds.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Index, LargeBinary, Text, UniqueConstraint, func, literal_column
from sqlmodel import Field, SQLModel


def _blob(nullable: bool = False) -> Column[bytes]:
    return Column(LargeBinary, nullable=nullable)


def _text(nullable: bool = True) -> Column[str]:
    return Column(Text, nullable=nullable)


class Message(SQLModel, table=True):
    __tablename__ = "messages"
    __table_args__ = (UniqueConstraint("sender", "message_id", name="uq_messages_sender_id"),)

    id: int | None = Field(default=None, primary_key=True)
    sender: str = Field(max_length=16)
    message_id: str = Field(max_length=128)
    recipient: str = Field(max_length=16)
    message_type: str = Field(max_length=64)
    schema_version: str = Field(max_length=1)
    format: str = Field(max_length=4)
    kid: str = Field(max_length=128)
    digest: str = Field(max_length=64)
    status: str = Field(max_length=16, index=True)
    received_at: str = Field(max_length=40)
    ref_to_message_id: str | None = Field(default=None, max_length=128)
    envelope: bytes = Field(sa_column=_blob())


class Receipt(SQLModel, table=True):
    __tablename__ = "receipts"

    id: int | None = Field(default=None, primary_key=True)
    receipt_id: str = Field(max_length=128, unique=True)
    message_pk: int = Field(foreign_key="messages.id", index=True)
    disposition: str = Field(max_length=16)
    created_at: str = Field(max_length=40)
    format: str = Field(max_length=4)
    schema_version: str = Field(max_length=1)
    document: bytes = Field(sa_column=_blob())
    envelope: bytes | None = Field(default=None, sa_column=_blob(nullable=True))


class Report(SQLModel, table=True):
    __tablename__ = "reports"
    __table_args__ = (Index("ix_reports_person_status", "id_number", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: str = Field(max_length=64, unique=True)
    message_pk: int = Field(foreign_key="messages.id", index=True)
    id_number: str = Field(max_length=18)
    change_type: str = Field(max_length=32)
    effective_date: str = Field(max_length=10)
    reported_at: str = Field(max_length=40)
    base_version: int
    digest: str = Field(max_length=64)
    status: str = Field(max_length=16)
    record_version: int | None = None
    document: bytes = Field(sa_column=_blob())


def birth_segment(column: Column[str]) -> Any:
    """The birth-date segment of an ID number (characters 7–14), as the index and queries
    write it: literal positions, so that SQLite and PostgreSQL match the expression index."""
    return func.substr(column, literal_column("7"), literal_column("8"))


class Record(SQLModel, table=True):
    __tablename__ = "records"

    id_number: str = Field(max_length=18, primary_key=True)
    version: int
    updated_at: str = Field(max_length=40)
    last_report_id: str = Field(max_length=64)
    document: bytes = Field(sa_column=_blob())


class RecordVersion(SQLModel, table=True):
    __tablename__ = "record_history"
    __table_args__ = (UniqueConstraint("id_number", "version", name="uq_history_version"),)

    id: int | None = Field(default=None, primary_key=True)
    id_number: str = Field(max_length=18)
    version: int
    report_id: str = Field(max_length=64)
    change_type: str = Field(max_length=32)
    effective_date: str = Field(max_length=10)
    applied_at: str = Field(max_length=40)
    document: bytes = Field(sa_column=_blob())


class Conflict(SQLModel, table=True):
    __tablename__ = "conflicts"

    id: int | None = Field(default=None, primary_key=True)
    id_number: str = Field(max_length=18, index=True)
    report_id: str = Field(max_length=64)
    base_version: int
    record_version: int
    raised_at: str = Field(max_length=40)
    status: str = Field(default="open", max_length=16)
    #: When a clerk marked it resolved (RFC 3339), and the note they gave.
    resolved_at: str | None = Field(default=None, max_length=40)
    resolution: str | None = Field(default=None, sa_column=_text())


class OutboxEntry(SQLModel, table=True):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),
                      Index("ix_outbox_destination", "destination", "id"))

    id: int | None = Field(default=None, primary_key=True)
    message_id: str = Field(max_length=128, unique=True)
    destination: str = Field(max_length=16)
    message_type: str = Field(max_length=64)
    schema_version: str = Field(max_length=1)
    format: str = Field(max_length=4)
    document: bytes = Field(sa_column=_blob())
    envelope: bytes | None = Field(default=None, sa_column=_blob(nullable=True))
    cause_pk: int | None = Field(default=None)
    receipt_id: str | None = Field(default=None, max_length=128)
    lost: str | None = Field(default=None, sa_column=_text())
    status: str = Field(max_length=16)
    pull: bool = False
    attempts: int = 0
    next_attempt_at: float
    lease_until: float | None = None
    #: Epoch seconds: since when the entry has found its partner unreachable (None once the
    #: partner answers); the entry is given up ``give_up_after`` seconds later.
    unreachable_since: float | None = None
    last_error: str | None = Field(default=None, sa_column=_text())
    created_at: str = Field(max_length=40)
    delivered_at: str | None = Field(default=None, max_length=40)
    reply: bytes | None = Field(default=None, sa_column=_blob(nullable=True))


class DeadLetter(SQLModel, table=True):
    __tablename__ = "dead_letters"

    id: int | None = Field(default=None, primary_key=True)
    outbox_id: int = Field(foreign_key="outbox.id", index=True)
    destination: str = Field(max_length=16)
    message_id: str = Field(max_length=128)
    reason: str = Field(sa_column=_text(nullable=False))
    dead_at: str = Field(max_length=40)
    resent_at: str | None = Field(default=None, max_length=40)


class HeldDestination(SQLModel, table=True):
    __tablename__ = "destinations"

    destination: str = Field(primary_key=True, max_length=16)
    #: Delivery passes in a row that could not reach the partner.
    failures: int
    #: Epoch seconds: no entry for the partner is sent before then.
    held_until: float
    #: When the partner was first found unreachable (RFC 3339).
    since: str = Field(max_length=40)
    last_error: str = Field(sa_column=_text(nullable=False))


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_log"

    seq: int = Field(primary_key=True)
    at: str = Field(max_length=40)
    actor: str = Field(max_length=64)
    action: str = Field(max_length=64)
    subject: str = Field(max_length=300)
    detail: str = Field(sa_column=_text(nullable=False))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class DockedNotice(SQLModel, table=True):
    __tablename__ = "notices"

    id: int | None = Field(default=None, primary_key=True)
    notice_id: str = Field(max_length=64, unique=True)
    department: str = Field(max_length=8)
    change_type: str = Field(max_length=32)
    effective_date: str = Field(max_length=10)
    received_at: str = Field(max_length=40)
    outcome: str = Field(max_length=16)
    report_id: str | None = Field(default=None, max_length=64)
    pending_pk: int | None = Field(default=None)
    #: The subject's ID number (pending items keep it masked).
    id_number: str | None = Field(default=None, max_length=18, index=True)
    document: bytes = Field(sa_column=_blob())


class PendingItem(SQLModel, table=True):
    __tablename__ = "pending_items"
    __table_args__ = (Index("ix_pending_status", "status", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    created_at: str = Field(max_length=40)
    kind: str = Field(max_length=32)
    notice_id: str | None = Field(default=None, max_length=64, index=True)
    id_number_masked: str = Field(max_length=18)
    reason_zh: str = Field(sa_column=_text(nullable=False))
    reason_en: str = Field(sa_column=_text(nullable=False))
    status: str = Field(default="open", max_length=16)
    #: When a clerk marked it resolved (RFC 3339), and the note they gave.
    resolved_at: str | None = Field(default=None, max_length=40)
    resolution: str | None = Field(default=None, sa_column=_text())


class RecordToFollow(SQLModel, table=True):
    __tablename__ = "records_to_follow"

    id: int | None = Field(default=None, primary_key=True)
    id_number: str = Field(max_length=18, index=True)
    noted_at: str = Field(max_length=40)


#: The largest key of an INTEGER column on either store: ids that users type are checked
#: against it (PostgreSQL refuses to compare a key with a larger number).
LARGEST_ID = 2**31 - 1

METADATA = SQLModel.metadata
messages = Message.__table__  # type: ignore[attr-defined]
receipts = Receipt.__table__  # type: ignore[attr-defined]
reports = Report.__table__  # type: ignore[attr-defined]
records = Record.__table__  # type: ignore[attr-defined]
record_history = RecordVersion.__table__  # type: ignore[attr-defined]
conflicts = Conflict.__table__  # type: ignore[attr-defined]
outbox = OutboxEntry.__table__  # type: ignore[attr-defined]
dead_letters = DeadLetter.__table__  # type: ignore[attr-defined]
destinations = HeldDestination.__table__  # type: ignore[attr-defined]
audit_log = AuditEntry.__table__  # type: ignore[attr-defined]
notices = DockedNotice.__table__  # type: ignore[attr-defined]
pending_items = PendingItem.__table__  # type: ignore[attr-defined]
records_to_follow = RecordToFollow.__table__  # type: ignore[attr-defined]
Index("ix_records_birth_segment", birth_segment(records.c.id_number))
