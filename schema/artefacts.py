"""The published schema files, loaded once from package data."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from lxml import etree

from schema.codes import SchemaVersion


@cache
def xml_schema(version: SchemaVersion) -> etree.XMLSchema:
    """The compiled XSD of ``version`` (``schema/xsd/v{N}.xsd``)."""
    data = resources.files("schema").joinpath(f"xsd/v{version.value}.xsd").read_bytes()
    return etree.XMLSchema(etree.fromstring(data, etree.XMLParser(resolve_entities=False,
                                                                   no_network=True)))


@cache
def json_schema(version: SchemaVersion) -> dict[str, Any]:
    """The JSON Schema of ``version`` (``schema/jsonschema/v{N}.json``)."""
    text = resources.files("schema").joinpath(f"jsonschema/v{version.value}.json").read_text(
        encoding="utf-8"
    )
    result: dict[str, Any] = json.loads(text)
    return result
