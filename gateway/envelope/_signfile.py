"""Wrap a document file in an envelope of its own format and sign it."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from gateway.crypto import SigningKey
from gateway.envelope._files import STREAM_ABOVE_BYTES
from gateway.envelope._header import EnvelopeHeader
from gateway.envelope._json import sign_json
from gateway.envelope._jsonstream import sign_json_stream
from gateway.envelope._result import EnvelopeFormat
from gateway.envelope._verify import detect_format
from gateway.envelope._xml import parse_envelope, sign_xml
from gateway.envelope._xmlstream import sign_xml_stream
from gateway.errors import EnvelopeMalformed
from schema.artefacts import xml_schema
from schema.documents import DocumentType, document_type, document_type_for_tag, document_type_of
from schema.errors import DocumentInvalid, MalformedDocument
from schema.jsoncodec import loads_json
from schema.sniff import sniff, wide_encoding
from schema.validation import validate_path
from schema.xmlcodec import from_element
from schema.xmlsafe import iterparse

#: Documents always signed while streaming, whatever their size.
STREAMED_TYPES = frozenset({"ChangeReportBatch"})


def _xml_document_type(source: IO[bytes]) -> DocumentType:
    """The document type of an XML file, from its root start tag alone."""
    try:
        for _, element in iterparse(source, events=("start",)):
            return document_type_for_tag(str(element.tag))
    except MalformedDocument as exc:
        raise EnvelopeMalformed(exc.message) from None
    raise EnvelopeMalformed("no root element")


def _sign_xml_file(source: IO[bytes], size: int, out: IO[bytes], key: SigningKey,
                   header_fields: dict[str, Any]) -> EnvelopeHeader:
    doc_type = _xml_document_type(source)
    source.seek(0)
    header = EnvelopeHeader.new(doc_type.name, schema_version=doc_type.version, **header_fields)
    if doc_type.name in STREAMED_TYPES or size > STREAM_ABOVE_BYTES:
        sign_xml_stream(source, out, header, key, schema=xml_schema(doc_type.version))
    else:
        root = parse_envelope(source.read())  # hardened; comments and PIs refused
        from_element(root)  # the XSD and the model: only valid documents are signed
        out.write(sign_xml(root, header, key))
    return header


def _sign_large_json_file(path: Path, source: IO[bytes], out: IO[bytes], key: SigningKey,
                          header_fields: dict[str, Any]) -> EnvelopeHeader:
    """Validate with the project's streaming validator first, then sign while streaming."""
    result = validate_path(path)
    if not result.valid or result.document_type is None or result.schema_version is None:
        raise DocumentInvalid(f"{path.name} is not a valid document", result.errors)
    doc_type = document_type(result.document_type, result.schema_version)
    header = EnvelopeHeader.new(doc_type.name, schema_version=doc_type.version, **header_fields)
    sign_json_stream(source, out, header, key)
    return header


def _document_format(head: bytes) -> EnvelopeFormat:
    """XML (in UTF-8, UTF-16 or any encoding it declares) or JSON (in UTF-8)."""
    wide = wide_encoding(head)
    if wide is None:
        return detect_format(head)
    if sniff(head) == "xml" and wide[0].startswith("UTF-16"):
        return EnvelopeFormat.XML  # lxml reads it; the envelope is written in UTF-8
    raise MalformedDocument(f"the document is {wide[0]}: an XML document is signed in UTF-8 "
                            "or UTF-16, a JSON one in UTF-8")


def sign_file(path: Path, out: IO[bytes], key: SigningKey, *, sender: str, recipient: str,
              **optional: Any) -> EnvelopeHeader:
    """Write the signed envelope of the document in ``path`` to ``out``; return its header.

    ``optional`` takes message_id, created_at, conversation_id, ref_to_message_id. Raises
    a :class:`~schema.errors.YipanqiError` (invalid document, wrong key kind, ...).
    Documents are checked before they are signed: against the XSD (and the model when read
    whole) for XML, the JSON Schema model for JSON, and the full validator (schema and
    rules) for JSON files too large to read whole.
    """
    header_fields = {"sender": sender, "recipient": recipient, **optional}
    size = path.stat().st_size
    with path.open("rb") as source:
        document_format = _document_format(source.read(1024))
        source.seek(0)
        if document_format is EnvelopeFormat.XML:
            return _sign_xml_file(source, size, out, key, header_fields)
        if size > STREAM_ABOVE_BYTES:
            return _sign_large_json_file(path, source, out, key, header_fields)
        data = source.read()
    doc_type = document_type_of(loads_json(data))
    header = EnvelopeHeader.new(doc_type.name, schema_version=doc_type.version, **header_fields)
    out.write(sign_json(data, header, key))
    return header
