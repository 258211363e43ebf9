"""JSON form of the documents: the model tree plus ``type`` and ``schemaVersion``."""

from __future__ import annotations

import json
from typing import Any

from schema.documents import DocumentType, document_type, document_type_of
from schema.errors import DocumentInvalid, MalformedDocument
from schema.jsonsafe import loads
from schema.models._base import StandardModel
from schema.schemacheck import validate_model


def to_json_object(document: StandardModel) -> dict[str, Any]:
    """The JSON object of a document, ``type`` and ``schemaVersion`` first."""
    doc_type = document_type_of(document)
    return {
        "type": doc_type.name,
        "schemaVersion": doc_type.version.value,
        **document.model_dump(mode="json", exclude_none=True),
    }


def dumps_json(document: StandardModel, *, indent: int | None = 2) -> bytes:
    """Serialise a document as UTF-8 JSON."""
    return json.dumps(to_json_object(document), ensure_ascii=False, indent=indent).encode()


def json_document_type(obj: Any) -> DocumentType:
    """The document type a decoded JSON object declares."""
    if not isinstance(obj, dict):
        raise MalformedDocument("a JSON document must be an object")
    name, version = obj.get("type"), obj.get("schemaVersion")
    if not isinstance(name, str) or not isinstance(version, str):
        raise MalformedDocument('a JSON document needs string "type" and "schemaVersion"')
    return document_type(name, version)


def from_json_object(obj: Any) -> StandardModel:
    """The model of a decoded JSON document; :class:`DocumentInvalid` on schema errors."""
    doc_type = json_document_type(obj)
    body = {k: v for k, v in obj.items() if k not in ("type", "schemaVersion")}
    document, issues = validate_model(doc_type.model, body)
    if document is None:
        raise DocumentInvalid(f"{doc_type.name} is not valid against the schema", issues)
    return document


def loads_json(data: str | bytes) -> StandardModel:
    """Parse and schema-check a JSON document (rules are not run here)."""
    return from_json_object(loads(data))
