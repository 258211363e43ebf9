"""The frozen outcome of a successful verification: the only thing downstream code reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from lxml import etree

from gateway.crypto import SignatureAlgorithm
from gateway.envelope._header import EnvelopeHeader
from schema.jsoncodec import from_json_object, loads_json
from schema.models._base import StandardModel
from schema.xmlcodec import from_element
from schema.xmlsafe import parse_xml


class EnvelopeFormat(StrEnum):
    XML = "xml"
    JSON = "json"


@dataclass(frozen=True, slots=True)
class VerifiedEnvelope:
    """A verified envelope.

    ``header`` and ``document`` come from the signed content itself (for XML, the
    canonical form that was digested) — never from the raw input. ``document`` is
    ``None`` when a streamed verification wrote the document to a sink instead.
    """

    format: EnvelopeFormat
    header: EnvelopeHeader
    kid: str
    algorithm: SignatureAlgorithm
    document: bytes | None
    #: The JSON payload as decoded while verifying (not parsed a second time).
    decoded: Any = field(default=None, compare=False, repr=False)

    def document_element(self) -> etree._Element:
        """A fresh element tree of the verified XML document."""
        if self.format is not EnvelopeFormat.XML or self.document is None:
            raise ValueError("no XML document held in this result")
        return parse_xml(self.document)

    def document_model(self) -> StandardModel:
        """The verified document as a model, checked against its schema."""
        if self.document is None:
            raise ValueError("the document was streamed to a sink")
        if self.format is EnvelopeFormat.XML:
            return from_element(self.document_element())
        if self.decoded is not None:
            return from_json_object(self.decoded)
        return loads_json(self.document)
