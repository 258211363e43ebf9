"""Data docking (数据对接, DESIGN §3): department notices matched against the records.

A notice about a known person becomes a change report on that record, taking the receive
path of every report (stored, applied, routed on); a police registration of an unknown
migrant that says enough opens a record; everything else waits as a pending item, until a
clerk marks it resolved or docks its notice again (retry) once what it waited for has changed;
the node docks it again by itself when a write opens or changes the person's record.
"""

from gateway.docking._dock import Docked, dock, dock_in, report_id_of
from gateway.docking._match import Change, Ledger, Unchanged, decide
from gateway.docking._merge import changed_fields, merge_children, merge_notice, opening_record
from gateway.docking._pending import Pending, PendingKind, masked, pending_view
from gateway.docking._read import (
    MAX_NOTICES,
    BodyMalformed,
    NoticesMalformed,
    Rejected,
    decode_json,
    read_body,
    read_notice,
)
from gateway.docking._resolve import NOTE_LIMIT, Resolution, clean_note, resolve
from gateway.docking._retry import (
    RETRY_CHUNK,
    Retried,
    items_about,
    open_items,
    redock,
    redocking,
    retry,
    retry_key,
)

__all__ = [
    "BodyMalformed",
    "Change",
    "Docked",
    "Ledger",
    "MAX_NOTICES",
    "NOTE_LIMIT",
    "NoticesMalformed",
    "Pending",
    "PendingKind",
    "RETRY_CHUNK",
    "Rejected",
    "Resolution",
    "Retried",
    "Unchanged",
    "changed_fields",
    "clean_note",
    "decide",
    "decode_json",
    "dock",
    "dock_in",
    "items_about",
    "masked",
    "merge_children",
    "merge_notice",
    "open_items",
    "opening_record",
    "pending_view",
    "read_body",
    "read_notice",
    "redock",
    "redocking",
    "report_id_of",
    "resolve",
    "retry",
    "retry_key",
]
