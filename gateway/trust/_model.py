"""The trust directory document: nodes, their keys with validity windows, permissions.

Like X-Road's global configuration: one signed JSON document, issued by the province,
that every gateway loads. Wire names are lowerCamelCase like the record standard.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel

from gateway.crypto import SignatureAlgorithm, algorithm_for_key, load_public_key
from gateway.envelope import check_node_id
from gateway.errors import GatewayError
from schema.codes import SchemaVersion


def _node_id(value: str) -> str:
    try:
        return check_node_id(value)
    except GatewayError as exc:
        raise ValueError(exc.message) from None


NodeId = Annotated[str, AfterValidator(_node_id)]


class _Wire(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, validate_by_name=True,
                              validate_by_alias=True, serialize_by_alias=True,
                              extra="forbid", frozen=True)


class NodeRole(StrEnum):
    PROVINCE = "province"
    CITY = "city"
    DEPARTMENT = "department"


class DirectoryKey(_Wire):
    """A node's public key and when it may be used."""

    kid: str = Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9._:-]+$")
    alg: SignatureAlgorithm
    public_key: str = Field(description="SubjectPublicKeyInfo PEM")
    not_before: AwareDatetime
    not_after: AwareDatetime
    revoked: bool = False

    @model_validator(mode="after")
    def _key_fits(self) -> DirectoryKey:
        if algorithm_for_key(load_public_key(self.public_key.encode())) is not self.alg:
            raise ValueError(f"key {self.kid}: the public key is not an {self.alg.value} key")
        if self.not_before >= self.not_after:
            raise ValueError(f"key {self.kid}: notBefore must come before notAfter")
        return self

    def valid_at(self, moment: dt.datetime) -> bool:
        return self.not_before <= moment < self.not_after


class DirectoryNode(_Wire):
    id: NodeId
    name: str = Field(min_length=1, max_length=100)
    role: NodeRole
    endpoint: str = Field(pattern=r"^https?://[^\s/]+(/\S*)?$")
    accepted_schema_versions: list[SchemaVersion] = Field(min_length=1)
    keys: list[DirectoryKey] = Field(default_factory=list)


class Permission(_Wire):
    """``sender`` may send documents of ``messageTypes`` to ``recipient``."""

    sender: NodeId
    recipient: NodeId
    message_types: list[str] = Field(min_length=1)


class Directory(_Wire):
    type: Literal["TrustDirectory"] = "TrustDirectory"
    serial: int = Field(ge=1, description="increases with every issue")
    issued_at: AwareDatetime
    issuer: NodeId
    nodes: list[DirectoryNode]
    permissions: list[Permission] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Directory:
        ids = [node.id for node in self.nodes]
        kids = [key.kid for node in self.nodes for key in node.keys]
        if len(set(ids)) != len(ids) or len(set(kids)) != len(kids):
            raise ValueError("node ids and key ids must be unique")
        strangers = {p.sender for p in self.permissions} | {p.recipient for p in self.permissions}
        if self.issuer not in ids or not strangers <= set(ids):
            raise ValueError("issuer and permissions must name nodes of the directory")
        return self
