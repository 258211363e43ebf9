"""JSON form: parse(serialise(x)) == x for every document type in both versions."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schema.documents import document_type_of
from schema.jsoncodec import dumps_json, from_json_object, loads_json, to_json_object
from schema.models._base import StandardModel
from tests.schema.strategies import DOCUMENT_KINDS, documents

EXAMPLES = settings(max_examples=30, deadline=None)


@pytest.mark.parametrize(("name", "version"), DOCUMENT_KINDS)
@EXAMPLES
@given(data=st.data())
def test_round_trip(name: str, version: str, data: st.DataObject) -> None:
    document: StandardModel = data.draw(documents(name, version))
    text = dumps_json(document)
    parsed = loads_json(text)
    assert parsed == document
    assert type(parsed) is type(document)
    # Lexically stable too: same offsets, same fractions, same key order.
    assert dumps_json(parsed) == text
    assert loads_json(dumps_json(document, indent=None)) == document


@pytest.mark.parametrize(("name", "version"), DOCUMENT_KINDS)
@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_wire_form(name: str, version: str, data: st.DataObject) -> None:
    document: StandardModel = data.draw(documents(name, version))
    obj = json.loads(dumps_json(document))
    assert list(obj)[:2] == ["type", "schemaVersion"]
    assert (obj["type"], obj["schemaVersion"]) == (name, version)
    assert obj == to_json_object(document)
    assert from_json_object(obj) == document
    assert document_type_of(document).name == name


@EXAMPLES
@given(document=documents("ChangeReport", "2"))
def test_chinese_is_written_as_utf8_not_escaped(document: StandardModel) -> None:
    text = dumps_json(document)
    assert b"\\u" not in text.replace(b"\\\\", b"")
    text.decode("utf-8")
