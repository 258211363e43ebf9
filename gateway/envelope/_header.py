"""The envelope header: who sends what to whom, when — the same fields in XML and JSON."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gateway.errors import EnvelopeMalformed
from schema.codes import Department, SchemaVersion

_NODE_ID = re.compile(r"[0-9]{{6}}-({})".format("|".join(d.value for d in Department)))
_MESSAGE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_MESSAGE_TYPE = re.compile(r"[A-Z][A-Za-z]{0,63}")
#: RFC 3339 ``date-time`` (Python's ISO reader also takes basic forms: 20100407T093000).
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?"
                      r"(Z|[+-]\d{2}:\d{2})")

#: Wire names in wire order; the last two are optional.
HEADER_FIELDS = ("messageId", "messageType", "sender", "recipient", "createdAt",
                 "schemaVersion", "conversationId", "refToMessageId")
REQUIRED_FIELDS = HEADER_FIELDS[:6]


def check_node_id(value: str) -> str:
    """A node id ``<6-digit region>-<department code>``, e.g. ``410100-RKJS``."""
    if not _NODE_ID.fullmatch(value):
        raise EnvelopeMalformed(f"{value!r} is not a node id (region-department, 410100-RKJS)")
    return value


def is_message_id(value: str) -> bool:
    """Whether ``value`` may be a messageId: 1–128 of ``A–Z a–z 0–9 . _ : -``."""
    return _MESSAGE_ID.fullmatch(value) is not None


def _check(pattern: re.Pattern[str], value: str, what: str) -> str:
    if not pattern.fullmatch(value):
        raise EnvelopeMalformed(f"{what} {value!r} is not accepted")
    return value


def parse_timestamp(value: str) -> dt.datetime:
    """An RFC 3339 date-time with its offset (``2010-04-07T09:30:00+08:00``)."""
    try:
        moment = dt.datetime.fromisoformat(value) if _RFC3339.fullmatch(value) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise EnvelopeMalformed(f"createdAt {value!r} is not an RFC 3339 time with offset")
    return moment


@dataclass(frozen=True, slots=True)
class EnvelopeHeader:
    """The routing facts of a message; immutable, validated on construction."""

    message_id: str
    message_type: str
    sender: str
    recipient: str
    created_at: dt.datetime
    schema_version: SchemaVersion
    conversation_id: str | None = None
    ref_to_message_id: str | None = None
    _wire: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "schema_version", SchemaVersion(self.schema_version))
        except ValueError:
            raise EnvelopeMalformed(f"schemaVersion {self.schema_version!r} unknown") from None
        _check(_MESSAGE_ID, self.message_id, "messageId")
        _check(_MESSAGE_TYPE, self.message_type, "messageType")
        check_node_id(self.sender)
        check_node_id(self.recipient)
        if self.created_at.tzinfo is None:
            raise EnvelopeMalformed("createdAt needs a UTC offset")
        for optional in (self.conversation_id, self.ref_to_message_id):
            if optional is not None:
                _check(_MESSAGE_ID, optional, "conversationId/refToMessageId")
        object.__setattr__(self, "_wire", self._to_wire())

    @classmethod
    def new(cls, message_type: str, sender: str, recipient: str,
            schema_version: SchemaVersion, **optional: Any) -> EnvelopeHeader:
        """A header with a fresh UUID messageId, created now (local offset)."""
        return cls(message_id=optional.pop("message_id", None) or str(uuid.uuid4()),
                   message_type=message_type, sender=sender, recipient=recipient,
                   created_at=optional.pop("created_at", None)
                   or dt.datetime.now().astimezone().replace(microsecond=0),
                   schema_version=schema_version, **optional)

    def _to_wire(self) -> dict[str, str]:
        values = (self.message_id, self.message_type, self.sender, self.recipient,
                  self.created_at.isoformat(), self.schema_version.value,
                  self.conversation_id, self.ref_to_message_id)
        return {name: value for name, value in zip(HEADER_FIELDS, values, strict=True)
                if value is not None}

    def to_wire(self) -> dict[str, str]:
        """Wire name → text, in wire order, optional fields only when present."""
        return dict(self._wire)

    @classmethod
    def from_wire(cls, fields: Mapping[str, object]) -> EnvelopeHeader:
        """The header of wire-named string fields; :class:`EnvelopeMalformed` on any defect."""
        missing = [name for name in REQUIRED_FIELDS if name not in fields]
        unknown = sorted(set(fields) - set(HEADER_FIELDS))
        if missing or unknown:
            raise EnvelopeMalformed(f"envelope header: missing {missing}, unknown {unknown}")
        if not all(isinstance(value, str) for value in fields.values()):
            raise EnvelopeMalformed("envelope header fields must be strings")
        text: Mapping[str, Any] = fields
        return cls(text["messageId"], text["messageType"], text["sender"], text["recipient"],
                   parse_timestamp(text["createdAt"]), text["schemaVersion"],
                   text.get("conversationId"), text.get("refToMessageId"))
