"""The committed schema files are what the generator makes, and are sound schemas."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from jsonschema import Draft202012Validator
from lxml import etree

import schema
from schema.publish import published_files

HERE = Path(schema.__file__).parent
XS = "http://www.w3.org/2001/XMLSchema"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
VERSIONS = ("1", "2")
COMMITTED = {HERE / "xsd" / f"v{v}.xsd" for v in VERSIONS} | {
    HERE / "jsonschema" / f"v{v}.json" for v in VERSIONS
}


@pytest.fixture(scope="module")
def generated() -> dict[Path, bytes]:
    return published_files()


def test_generator_writes_the_four_published_files(generated: dict[Path, bytes]) -> None:
    assert set(generated) == COMMITTED


@pytest.mark.parametrize("path", sorted(COMMITTED), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_committed_file_is_what_the_generator_makes(generated: dict[Path, bytes],
                                                    path: Path) -> None:
    assert path.read_bytes() == generated[path], (
        f"{path.relative_to(HERE.parent)} is out of date: run `python -m schema.publish`"
    )


def _json_schema(version: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(
        (HERE / "jsonschema" / f"v{version}.json").read_text(encoding="utf-8")
    )
    return result


@pytest.mark.parametrize("version", VERSIONS)
def test_json_schema_is_a_valid_draft_2020_12_schema(version: str) -> None:
    document = _json_schema(version)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document["$id"] == f"urn:yipanqi:mfp:{version}"
    Draft202012Validator.check_schema(document)
    jsonschema_rs.validator_for(document, validate_formats=True)  # compiles


@pytest.mark.parametrize("version", VERSIONS)
def test_json_schema_properties_are_documented(version: str) -> None:
    for name, definition in _json_schema(version)["$defs"].items():
        if definition.get("type") != "object":
            continue
        assert definition.get("title") and definition.get("description"), name
        for key, prop in definition["properties"].items():
            assert prop.get("title") and prop.get("description"), f"{name}.{key}"


def _xsd(version: str) -> etree._ElementTree:
    return etree.parse(str(HERE / "xsd" / f"v{version}.xsd"))


@pytest.mark.parametrize("version", VERSIONS)
def test_xsd_compiles(version: str) -> None:
    tree = _xsd(version)
    etree.XMLSchema(tree)
    root = tree.getroot()
    assert root.get("targetNamespace") == f"urn:yipanqi:mfp:{version}"
    assert root.get("elementFormDefault") == "qualified"


@pytest.mark.parametrize("version", VERSIONS)
def test_every_xsd_element_is_documented_in_chinese_and_english(version: str) -> None:
    elements = list(_xsd(version).iter(f"{{{XS}}}element"))
    assert len(elements) > 50
    for element in elements:
        docs = element.findall(f"{{{XS}}}annotation/{{{XS}}}documentation")
        langs = sorted(d.get(XML_LANG) or "" for d in docs)
        where = f"element {element.get('name')} (line {element.sourceline})"
        assert langs == ["en", "zh"], where
        assert all((d.text or "").strip() for d in docs), where


@pytest.mark.parametrize("version", VERSIONS)
def test_every_xsd_type_of_ours_is_documented_where_it_names_a_part(version: str) -> None:
    for complex_type in _xsd(version).getroot().findall(f"{{{XS}}}complexType"):
        docs = complex_type.findall(f"{{{XS}}}annotation/{{{XS}}}documentation")
        assert sorted(d.get(XML_LANG) or "" for d in docs) == ["en", "zh"], (
            complex_type.get("name")
        )
