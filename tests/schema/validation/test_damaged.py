"""Every valid fixture document, damaged at random byte by byte, through ``validate_path``:
never an exception, every error with its rule and both messages; and a file it calls valid
is one the published schema (the XSD, or the JSON Schema) accepts and the codec reads."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema_rs
import pytest
from hypothesis import HealthCheck, given, settings
from lxml import etree

from fixtures.generate import HERE as DOCUMENTS
from schema.artefacts import json_schema, xml_schema
from schema.codes import SchemaVersion
from schema.jsoncodec import loads_json
from schema.validation import validate_path
from schema.xmlcodec import loads_xml
from tests._damage import overwritten

VALID = sorted((DOCUMENTS / "valid").glob("v*/*"))
_PIECES = [b"<", b">", b"/", b"&", b'"', b"'", b"=", b" ", b"\n", b"{", b"}", b"[", b"]",
           b",", b":", b"\\", b"0", b"9", b"-", b"X", b"\x00", b"\xff", b"\xe4", b""]


def _published_schema_accepts(data: bytes, version: SchemaVersion, xml: bool) -> bool:
    if xml:
        return bool(xml_schema(version).validate(etree.fromstring(data)))
    return bool(jsonschema_rs.validator_for(json_schema(version)).is_valid(json.loads(data)))


@pytest.mark.parametrize("path", VALID, ids=[f"{p.parent.name}/{p.name}" for p in VALID])
def test_a_damaged_document_is_judged_without_a_crash(path: Path, tmp_path: Path) -> None:
    original = path.read_bytes()
    version = SchemaVersion(path.parent.name.removeprefix("v"))
    xml = path.suffix == ".xml"
    target = tmp_path / path.name

    @settings(max_examples=60, deadline=None, suppress_health_check=[
        HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(overwritten(original, _PIECES, 3))
    def check(data: bytes) -> None:
        target.write_bytes(data)
        result = validate_path(target)  # anything raised fails the test
        for issue in result.errors:
            assert issue.rule and issue.message_zh and issue.message_en
        if result.valid:
            assert _published_schema_accepts(data, version, xml)
            (loads_xml if xml else loads_json)(data)

    check()
