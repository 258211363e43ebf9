"""Who this node is: its id, signing key, the verified directory and partner endpoints."""

from __future__ import annotations

from dataclasses import dataclass, field

from gateway.crypto import SigningKey, algorithm_for_key, load_private_key, load_public_key
from gateway.errors import DirectoryInvalid
from gateway.node._keys import NodeKeys
from gateway.settings import Settings
from gateway.trust import DirectoryNode, TrustDirectory, load_directory
from schema.codes import SchemaVersion


@dataclass(frozen=True)
class NodeIdentity:
    """Everything about the node that comes from its keys and the directory."""

    node_id: str
    key: SigningKey
    directory: TrustDirectory
    endpoints: dict[str, str] = field(default_factory=dict)

    @property
    def keys(self) -> NodeKeys:
        return NodeKeys(self.directory, self.node_id)

    def node(self, node_id: str) -> DirectoryNode | None:
        return self.directory.node(node_id)

    def endpoint(self, node_id: str) -> str | None:
        """Where to POST messages for ``node_id``: the override, else the directory's."""
        if node_id in self.endpoints:
            return self.endpoints[node_id]
        node = self.directory.node(node_id)
        return node.endpoint if node else None

    def versions(self, node_id: str) -> list[SchemaVersion]:
        node = self.directory.node(node_id)
        return list(node.accepted_schema_versions) if node else []


def load_identity(settings: Settings) -> NodeIdentity:
    """Read the key and the signed directory named in the settings."""
    assert settings.signing_key is not None
    private = load_private_key(settings.signing_key.read_bytes())
    key = SigningKey(settings.kid, algorithm_for_key(private), private)
    root = load_public_key(settings.root_key.read_bytes())
    directory = load_directory(settings.directory.read_bytes(), root)
    if directory.node(settings.node_id) is None:
        raise DirectoryInvalid(f"node {settings.node_id} is not in the trust directory")
    if directory.key_owner(key.kid) != settings.node_id:
        raise DirectoryInvalid(f"key {key.kid} is not registered to {settings.node_id}")
    return NodeIdentity(settings.node_id, key, directory, dict(settings.endpoints))
