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
from gateway.ingest._intake import Intake, ReportIn, examine, receive
from gateway.ingest._sign import sign_receipts
from gateway.ingest._store import Fate, Stored, StoredGroup, WriteContext, store_group
from gateway.ingest._writer import Answer, GroupCommitter, GroupWriter, commit_group

__all__ = [
    "Answer",
    "BodyTimeout",
    "BodyTooLarge",
    "Fate",
    "GroupCommitter",
    "GroupWriter",
    "Intake",
    "MessageConflict",
    "NotFound",
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
    "receive",
    "sign_receipts",
    "store_group",
]
