"""The document types of the standard, per version: name, model and XML namespace."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from schema.codes import SchemaVersion
from schema.errors import UnknownDocument
from schema.models import v1, v2
from schema.models._base import StandardModel
from schema.models.receipt import RECEIPT_MODELS

ENVELOPE_NAMESPACE = "urn:yipanqi:envelope:1"
DOCUMENT_NAMES = ("PersonRecord", "ChangeReport", "ChangeReportBatch", "DepartmentNotice")
_MODULES = {SchemaVersion.V1: v1, SchemaVersion.V2: v2}


@dataclass(frozen=True, slots=True)
class DocumentType:
    """One document type in one version of the standard."""

    name: str
    version: SchemaVersion
    model: type[StandardModel]

    @property
    def namespace(self) -> str:
        return self.version.namespace

    @property
    def header_model(self) -> type[StandardModel]:
        """The header of a batch of this version (its fields without the reports)."""
        header: type[StandardModel] = _MODULES[self.version].BatchHeader
        return header

    @property
    def report_model(self) -> type[StandardModel]:
        """The change report of this version."""
        report: type[StandardModel] = _MODULES[self.version].ChangeReport
        return report

    @property
    def tag(self) -> str:
        """The root element's Clark name, ``{urn:yipanqi:mfp:2}ChangeReport``."""
        return f"{{{self.namespace}}}{self.name}"


@cache
def _table() -> dict[tuple[str, SchemaVersion], DocumentType]:
    table = {}
    for version, module in _MODULES.items():
        for name in DOCUMENT_NAMES:
            table[name, version] = DocumentType(name, version, getattr(module, name))
        table["Receipt", version] = DocumentType("Receipt", version, RECEIPT_MODELS[version])
    return table


def document_types(version: SchemaVersion | None = None) -> list[DocumentType]:
    """Every document type, or those of one version."""
    return [t for t in _table().values() if version is None or t.version is version]


def document_type(name: str, version: str | SchemaVersion) -> DocumentType:
    """The document type called ``name`` in ``version``; :class:`UnknownDocument` if none."""
    try:
        return _table()[name, SchemaVersion(version)]
    except (KeyError, ValueError):
        raise UnknownDocument(
            f"unknown document type {name!r} in schema version {version!r}"
        ) from None


def document_type_for_tag(tag: str) -> DocumentType:
    """The document type whose root element has this Clark name."""
    for doc_type in _table().values():
        if doc_type.tag == tag:
            return doc_type
    raise UnknownDocument(f"unknown root element {tag}")


def document_type_of(document: StandardModel) -> DocumentType:
    """The document type of a model instance."""
    for doc_type in _table().values():
        if type(document) is doc_type.model:
            return doc_type
    raise UnknownDocument(f"{type(document).__name__} is not a document of the standard")
