"""The node's key source: the trust directory, for messages addressed to this node.

The directory (DESIGN §4) lists every route, local submission (a node to itself) and the
``Receipt`` routes back included; this adds only that a message must be addressed to
this node (``not-permitted`` otherwise). Everything else is :meth:`TrustDirectory.authorise`.
"""

from __future__ import annotations

from dataclasses import dataclass

from gateway.crypto import PublicKey, SignatureAlgorithm
from gateway.envelope import EnvelopeHeader
from gateway.errors import NotPermitted
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
        self.directory.authorise(header, kid)

    def may_send(self, sender: str, recipient: str, message_type: str | None = None) -> bool:
        """Does the directory let ``sender`` send ``message_type`` (any, if None) there?"""
        for permission in self.directory.directory.permissions:
            if permission.sender == sender and permission.recipient == recipient and (
                    message_type is None or message_type in permission.message_types):
                return True
        return False
