"""The trust directory as a verifier's key source, and its signed form on disk."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from pydantic import ValidationError

from gateway.crypto import (
    PublicKey,
    SignatureAlgorithm,
    SigningKey,
    load_public_key,
    parse_flattened,
    sign_flattened,
)
from gateway.envelope import EnvelopeHeader
from gateway.errors import (
    AlgorithmRefused,
    DirectoryInvalid,
    EnvelopeError,
    KeyExpired,
    KeyNotSender,
    KeyRevoked,
    KeyUnknown,
    NotPermitted,
    VersionNotAccepted,
)
from gateway.trust._model import Directory, DirectoryKey, DirectoryNode
from schema.errors import MalformedDocument
from schema.jsonsafe import loads

DIRECTORY_TYP = "yipanqi-directory+json"


@dataclass(frozen=True, slots=True)
class _RegisteredKey:
    owner: str
    entry: DirectoryKey
    public_key: PublicKey


@dataclass(frozen=True)
class TrustDirectory:
    """A verified directory: implements :class:`~gateway.envelope.KeySource`."""

    directory: Directory
    signed_by: str = ""
    _keys: Mapping[str, _RegisteredKey] = field(init=False, repr=False)
    _nodes: Mapping[str, DirectoryNode] = field(init=False, repr=False)
    _permitted: frozenset[tuple[str, str, str]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        nodes = {node.id: node for node in self.directory.nodes}
        keys = {key.kid: _RegisteredKey(node.id, key, load_public_key(key.public_key.encode()))
                for node in self.directory.nodes for key in node.keys}
        permitted = frozenset((p.sender, p.recipient, message_type)
                              for p in self.directory.permissions
                              for message_type in p.message_types)
        object.__setattr__(self, "_nodes", nodes)
        object.__setattr__(self, "_keys", keys)
        object.__setattr__(self, "_permitted", permitted)

    def node(self, node_id: str) -> DirectoryNode | None:
        return self._nodes.get(node_id)

    def key(self, kid: str) -> DirectoryKey | None:
        registered = self._keys.get(kid)
        return registered.entry if registered else None

    def key_owner(self, kid: str) -> str | None:
        registered = self._keys.get(kid)
        return registered.owner if registered else None

    def public_key(self, kid: str, algorithm: SignatureAlgorithm) -> PublicKey:
        registered = self._keys.get(kid)
        if registered is None:
            raise KeyUnknown(f"key {_shown(kid)} is not in the trust directory")
        if registered.entry.revoked:
            raise KeyRevoked(f"key {_shown(kid)} of {registered.owner} is revoked")
        if registered.entry.alg is not algorithm:
            raise AlgorithmRefused(f"key {_shown(kid)} is registered for "
                                   f"{registered.entry.alg.value}, the envelope names "
                                   f"{algorithm.value}")
        return registered.public_key

    def authorise(self, header: EnvelopeHeader, kid: str) -> None:
        registered = self._keys.get(kid)
        if registered is None:
            raise KeyUnknown(f"key {_shown(kid)} is not in the trust directory")
        if registered.owner != header.sender:
            raise KeyNotSender(f"key {_shown(kid)} belongs to {registered.owner}, "
                               f"not {header.sender}")
        if not registered.entry.valid_at(header.created_at):
            raise KeyExpired(f"key {_shown(kid)} was not valid at {header.created_at.isoformat()}")
        self.check_route(header)

    def check_route(self, header: EnvelopeHeader) -> None:
        """May the sender send this type to the recipient, in this schema version?"""
        if (header.sender, header.recipient, header.message_type) not in self._permitted:
            raise NotPermitted(f"{header.sender} may not send {header.message_type} "
                               f"to {header.recipient}")
        recipient = self._nodes[header.recipient]
        if header.schema_version not in recipient.accepted_schema_versions:
            raise VersionNotAccepted(f"{header.recipient} does not accept schema version "
                                     f"{header.schema_version.value}")


def directory_json(directory: Directory) -> bytes:
    """The directory document as indented UTF-8 JSON."""
    return json.dumps(directory.model_dump(mode="json"), ensure_ascii=False, indent=2).encode()


def parse_directory(data: bytes) -> Directory:
    """An unsigned directory document; :class:`DirectoryInvalid` on any defect."""
    try:
        return Directory.model_validate(loads(data))
    except MalformedDocument as exc:
        raise DirectoryInvalid(f"the directory is not strict JSON: {exc.message}") from None
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise DirectoryInvalid(f"the directory is not valid: {problems}") from None


def sign_directory(directory: Directory, root_key: SigningKey) -> bytes:
    """The directory as a JWS signed by the province's root key."""
    return sign_flattened(directory_json(directory), {}, root_key, DIRECTORY_TYP)


def load_directory(data: bytes, root_key: PublicKey) -> TrustDirectory:
    """Verify a signed directory against the root key, then parse it."""
    try:
        parts = parse_flattened(data, typ=DIRECTORY_TYP, allowed=())
        parts.verify(root_key)
    except EnvelopeError as exc:
        raise DirectoryInvalid(f"the directory signature does not hold ({exc.code}): "
                               f"{exc.message}") from None
    return TrustDirectory(parse_directory(parts.payload), signed_by=parts.kid)


def _shown(kid: str) -> str:
    """A key id as a refusal quotes it: a forged one may be of any length."""
    return repr(kid) if len(kid) <= 128 else f"{kid[:128]!r}… ({len(kid)} characters)"

