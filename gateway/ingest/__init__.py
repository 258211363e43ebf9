"""The receive pipeline: verify → check access → parse + validate → dedupe → store → receipt."""

from gateway.errors import (
    BodyTimeout,
    BodyTooLarge,
    MessageConflict,
    NotFound,
    RequestRefused,
    StoreUnavailable,
    Unauthorised,
    UnsupportedMediaType,
)
from gateway.ingest._follow import (
    FOLLOW_LIMIT,
    Noted,
    follow,
    follow_noted,
    forget,
    note,
    people_to_follow,
)
from gateway.ingest._intake import Intake, ReportIn, examine, receive
from gateway.ingest._sign import sign_receipts
from gateway.ingest._store import Fate, Stored, StoredGroup, WriteContext, store_group
from gateway.ingest._writer import Answer, GroupCommitter, GroupWriter, commit_group

__all__ = [
    "Answer",
    "BodyTimeout",
    "BodyTooLarge",
    "FOLLOW_LIMIT",
    "Fate",
    "GroupCommitter",
    "GroupWriter",
    "Intake",
    "MessageConflict",
    "NotFound",
    "Noted",
    "ReportIn",
    "RequestRefused",
    "StoreUnavailable",
    "Stored",
    "StoredGroup",
    "Unauthorised",
    "UnsupportedMediaType",
    "WriteContext",
    "commit_group",
    "examine",
    "follow",
    "follow_noted",
    "forget",
    "note",
    "people_to_follow",
    "receive",
    "sign_receipts",
    "store_group",
]
