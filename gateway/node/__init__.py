"""The running node: its identity (key, directory) and the key source it verifies with."""

from gateway.node._identity import NodeIdentity, load_identity
from gateway.node._keys import RECEIPT, NodeKeys

__all__ = ["NodeIdentity", "NodeKeys", "RECEIPT", "load_identity"]
