"""The node's key source: the trust directory, plus the two routes it does not list.

The directory (DESIGN §4) lists which message types each sender may send to each
recipient. A node also accepts, beyond that list:

- messages from itself (``sender == recipient == this node``), signed with one of its own
  keys: its own clerks submitting reports (local submission);
- ``Receipt`` messages from a node it may send to: the answer travels the reverse route.

Everything else is exactly :meth:`TrustDirectory.authorise`, and a message addressed to
another node is refused (``not-permitted``).
"""

from __future__ import annotations

from dataclasses import dataclass

from gateway.crypto import PublicKey, SignatureAlgorithm
from gateway.envelope import EnvelopeHeader
from gateway.errors import (
    KeyExpired,
    KeyNotSender,
    KeyUnknown,
    NotPermitted,
    VersionNotAccepted,
)
from gateway.trust import TrustDirectory

RECEIPT = "Receipt"


@dataclass(frozen=True, slots=True)
class NodeKeys:
    """A :class:`~gateway.envelope.KeySource` for messages addressed to ``node_id``."""

    directory: TrustDirectory
    node_id: str

    def public_key(self, kid: str, algorithm: SignatureAlgorithm) -> PublicKey:
        return self.directory.public_key(kid, algorithm)

    def authorise(self, header: EnvelopeHeader, kid: str) -> None:
        if header.recipient != self.node_id:
            raise NotPermitted(f"the message is addressed to {header.recipient}, "
                               f"this node is {self.node_id}")
        if header.sender == self.node_id or header.message_type == RECEIPT:
            self._check_key(header, kid)
            self._check_version(header)
            if header.sender != self.node_id and not self.may_send(self.node_id,
                                                                    header.sender):
                raise NotPermitted(f"{header.sender} may not send receipts to {self.node_id}")
            return
        self.directory.authorise(header, kid)

    def may_send(self, sender: str, recipient: str, message_type: str | None = None) -> bool:
        """Does the directory let ``sender`` send ``message_type`` (any, if None) there?"""
        for permission in self.directory.directory.permissions:
            if permission.sender == sender and permission.recipient == recipient and (
                    message_type is None or message_type in permission.message_types):
                return True
        return False

    def _check_key(self, header: EnvelopeHeader, kid: str) -> None:
        entry, owner = self.directory.key(kid), self.directory.key_owner(kid)
        if entry is None or owner is None:
            raise KeyUnknown(f"key {kid!r} is not in the trust directory")
        if owner != header.sender:
            raise KeyNotSender(f"key {kid!r} belongs to {owner}, not {header.sender}")
        if not entry.valid_at(header.created_at):
            raise KeyExpired(f"key {kid!r} was not valid at {header.created_at.isoformat()}")

    def _check_version(self, header: EnvelopeHeader) -> None:
        node = self.directory.node(self.node_id)
        if node is not None and header.schema_version not in node.accepted_schema_versions:
            raise VersionNotAccepted(f"{self.node_id} does not accept schema version "
                                     f"{header.schema_version.value}")
