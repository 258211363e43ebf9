"""Generate the published schemas from the models.

The JSON Schema comes from pydantic; the XSD is derived from that same JSON Schema, so
both files say what the models say. ``python -m schema.publish`` rewrites the committed
files under ``schema/xsd`` and ``schema/jsonschema``; a test fails when they drift.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from lxml import etree
from pydantic.json_schema import models_json_schema

from schema.codes import SchemaVersion
from schema.documents import document_types
from schema.models._types import (
    CREDIT_CODE_PATTERN,
    DATE_PATTERN,
    DATETIME_PATTERN,
    ID_PATTERN,
    ORG_CODE_PATTERN,
    PERIOD_PATTERN,
    REGION_PATTERN,
    TEXT_PATTERN,
    TOKEN_PATTERN,
)

XS = "http://www.w3.org/2001/XMLSchema"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_HERE = Path(__file__).parent
_LIST_ITEMS_INLINE = {"reports": "report"}


def json_schema(version: SchemaVersion) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of every document of ``version``."""
    types = document_types(version)
    _, top = models_json_schema(
        [(t.model, "validation") for t in types], ref_template="#/$defs/{model}"
    )
    defs: dict[str, Any] = top["$defs"]
    models: dict[str, Any] = {}
    for doc_type in types:
        _collect(doc_type.model, models)
    for name, model in models.items():
        _restore_titles(model, defs[name])
    one_of = []
    for doc_type in types:
        document = copy.deepcopy(defs[doc_type.name])
        document["properties"] = {
            "type": {"const": doc_type.name, "title": "文档类型", "description": "Document type"},
            "schemaVersion": {"const": version.value, "title": "标准版本",
                              "description": "Version of the record standard"},
            **document["properties"],
        }
        document["required"] = ["type", "schemaVersion", *document.get("required", [])]
        defs[f"{doc_type.name}Document"] = document
        one_of.append({"$ref": f"#/$defs/{doc_type.name}Document"})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:yipanqi:mfp:{version.value}",
        "title": f"流动人口计划生育信息交换标准 第{version.value}版",
        "description": (
            f"Migrant family-planning record standard, version {version.value}: one document "
            "per file, discriminated by 'type'. Validate with format assertion enabled "
            "(dates and times)."
        ),
        "oneOf": one_of,
        "$defs": dict(sorted(defs.items())),
    }


def _restore_titles(model: Any, schema: dict[str, Any]) -> None:
    """Put back the field titles pydantic leaves out.

    pydantic drops a field's title when it equals the title of the model the field refers
    to (``reportingUnit``: 填报单位); the XSD needs it for its Chinese documentation.
    """
    for name, info in model.model_fields.items():
        prop = schema["properties"].get(info.alias or name)
        if prop is not None and info.title and "title" not in prop:
            prop["title"] = info.title
            schema["properties"][info.alias or name] = dict(sorted(prop.items()))


def _annotate(parent: etree._Element, zh: str | None, en: str | None) -> None:
    annotation = etree.SubElement(parent, f"{{{XS}}}annotation")
    for lang, text in (("zh", zh), ("en", en)):
        if text:
            documentation = etree.SubElement(annotation, f"{{{XS}}}documentation")
            documentation.set(_XML_LANG, lang)
            documentation.text = text


def _xsd_pattern(pattern: str) -> str:
    if pattern == TEXT_PATTERN:
        # XML cannot carry the other control characters at all.
        return r"[^\t\n\r]*"
    return pattern.removeprefix("^").removesuffix("$").replace("._-]", r"._\-]")


_PATTERN_NAMES = {
    ID_PATTERN: "IdNumber",
    REGION_PATTERN: "RegionCode",
    ORG_CODE_PATTERN: "OrgCode",
    CREDIT_CODE_PATTERN: "CreditCode",
    TOKEN_PATTERN: "Token",
    PERIOD_PATTERN: "Period",
    r"^[0-9]{2}$": "TwoDigitCode",
}


def _simple_type_name(prop: dict[str, Any]) -> str:
    """A readable name for an anonymous leaf type of the JSON Schema."""
    if "enum" in prop:
        return "ChangeType" if "INFLOW" in prop["enum"] else "RecordField"
    if prop.get("type") == "integer":
        return "Order" if prop.get("minimum") == 1 else "Count"
    if prop.get("format") == "date":
        return "Date"
    if prop.get("format") == "date-time":
        return "DateTime"
    if prop.get("pattern") in _PATTERN_NAMES:
        return _PATTERN_NAMES[prop["pattern"]]
    low = prop.get("minLength", 0)
    return f"Text{low}to{prop['maxLength']}" if low else f"Text{prop['maxLength']}"


class _XsdWriter:
    def __init__(self, version: SchemaVersion, defs: dict[str, Any]) -> None:
        self.version = version
        self.defs = defs
        self.root = etree.Element(
            f"{{{XS}}}schema",
            nsmap={"xs": XS, "m": version.namespace},
            targetNamespace=version.namespace,
            elementFormDefault="qualified",
            version=version.value,
        )
        self.simple_types: dict[str, str] = {}

    def simple_type(self, prop: dict[str, Any]) -> str:
        """The name of a simple type for a leaf property, declaring it once."""
        if "$ref" in prop:
            name = prop["$ref"].rsplit("/", 1)[1]
            target = self.defs[name]
            if target.get("type") == "object":
                return f"m:{name}"
            return self._declare(name, target)
        key = json.dumps({k: v for k, v in prop.items() if k not in ("title", "description",
                                                                       "default")},
                         sort_keys=True)
        if key not in self.simple_types:
            # Two different leaf types may earn the same readable name (same bounds, other
            # pattern): the later one is numbered rather than silently sharing the first.
            taken = {qname.removeprefix("m:") for qname in self.simple_types.values()}
            base = name = _simple_type_name(prop)
            suffix = 1
            while name in taken:
                suffix += 1
                name = f"{base}{suffix}"
            self.simple_types[key] = self._declare(name, prop)
        return self.simple_types[key]

    def _declare(self, name: str, prop: dict[str, Any]) -> str:
        qname = f"m:{name}"
        if any(el.get("name") == name for el in self.root):
            return qname
        simple = etree.SubElement(self.root, f"{{{XS}}}simpleType", name=name)
        if "description" in prop and "enum" in prop:
            _annotate(simple, None, prop["description"])
        base, facets = self._facets(prop)
        restriction = etree.SubElement(simple, f"{{{XS}}}restriction", base=base)
        for facet, value in facets:
            etree.SubElement(restriction, f"{{{XS}}}{facet}", value=value)
        return qname

    @staticmethod
    def _facets(prop: dict[str, Any]) -> tuple[str, list[tuple[str, str]]]:
        if "enum" in prop:
            return "xs:string", [("enumeration", v) for v in prop["enum"]]
        if prop.get("type") == "integer":
            base = "xs:positiveInteger" if prop.get("minimum") == 1 else "xs:nonNegativeInteger"
            if "maximum" in prop:
                return base, [("maxInclusive", str(prop["maximum"]))]
            return base, []
        if prop.get("format") == "date":
            return "xs:date", [("pattern", _xsd_pattern(DATE_PATTERN))]
        if prop.get("format") == "date-time":
            return "xs:dateTime", [("pattern", _xsd_pattern(DATETIME_PATTERN))]
        facets = []
        if "minLength" in prop:
            facets.append(("minLength", str(prop["minLength"])))
        if "maxLength" in prop:
            facets.append(("maxLength", str(prop["maxLength"])))
        if "pattern" in prop:
            facets.append(("pattern", _xsd_pattern(prop["pattern"])))
        return "xs:string", facets

    def complex_type(self, name: str, list_items: dict[str, str]) -> None:
        schema = self.defs[name]
        complex_ = etree.SubElement(self.root, f"{{{XS}}}complexType", name=name)
        _annotate(complex_, schema.get("title"), schema.get("description"))
        sequence = etree.SubElement(complex_, f"{{{XS}}}sequence")
        required = set(schema.get("required", []))
        for field, prop in schema["properties"].items():
            self._element(sequence, field, prop, field in required, list_items.get(field))

    def _item_docs(self, prop: dict[str, Any], items: dict[str, Any]) -> tuple[str, str]:
        """Chinese and English documentation of one item of a wrapped list."""
        target = self.defs.get(items.get("$ref", "").rsplit("/", 1)[-1], {})
        if target.get("title") and target.get("description"):
            return target["title"], target["description"]
        description: str = prop["description"]
        return f"{prop['title']}之一", f"One of the {description[0].lower()}{description[1:]}"

    def _element(self, sequence: etree._Element, field: str, prop: dict[str, Any],
                 required: bool, item_name: str | None) -> None:
        inner = next((p for p in prop.get("anyOf", []) if p.get("type") != "null"), prop)
        if inner.get("type") == "array":
            item_type = self.simple_type(inner["items"])
            if field in _LIST_ITEMS_INLINE:
                element = etree.SubElement(sequence, f"{{{XS}}}element",
                                           name=_LIST_ITEMS_INLINE[field], type=item_type,
                                           maxOccurs="unbounded")
                _annotate(element, prop.get("title"), prop.get("description"))
                return
            element = etree.SubElement(sequence, f"{{{XS}}}element", name=field)
            if not required:
                element.set("minOccurs", "0")
            _annotate(element, prop.get("title"), prop.get("description"))
            wrapper = etree.SubElement(element, f"{{{XS}}}complexType")
            items = etree.SubElement(wrapper, f"{{{XS}}}sequence")
            item = etree.SubElement(items, f"{{{XS}}}element", name=item_name or "item",
                                    type=item_type, maxOccurs="unbounded")
            _annotate(item, *self._item_docs(prop, inner["items"]))
            return
        element = etree.SubElement(sequence, f"{{{XS}}}element", name=field,
                                   type=self.simple_type(inner))
        if not required:
            element.set("minOccurs", "0")
        _annotate(element, prop.get("title"), prop.get("description"))


def xsd(version: SchemaVersion) -> bytes:
    """The XML Schema of every document of ``version``."""
    schema = json_schema(version)
    defs = schema["$defs"]
    writer = _XsdWriter(version, defs)
    _annotate(writer.root, schema["title"], schema["description"].split(":")[0] + ".")
    for doc_type in document_types(version):
        element = etree.SubElement(writer.root, f"{{{XS}}}element", name=doc_type.name,
                                   type=f"m:{doc_type.name}")
        _annotate(element, defs[doc_type.name].get("title"),
                  defs[doc_type.name].get("description"))
    models: dict[str, Any] = {}
    for doc_type in document_types(version):
        _collect(doc_type.model, models)
    for name in sorted(models):
        writer.complex_type(name, models[name].list_items)
    return etree.tostring(writer.root, pretty_print=True, xml_declaration=True,
                          encoding="UTF-8")


def _collect(model: Any, found: dict[str, Any]) -> None:
    """Every model reachable from ``model``, by the name pydantic gives its schema."""
    if model.__name__ in found:
        return
    found[model.__name__] = model
    for field in model.model_fields.values():
        for candidate in _model_args(field.annotation):
            _collect(candidate, found)


def _model_args(annotation: Any) -> list[Any]:
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in getattr(annotation, "__args__", ()) for m in _model_args(arg)]


def published_files() -> dict[Path, bytes]:
    """Every published schema file and its generated content."""
    files: dict[Path, bytes] = {}
    for version in SchemaVersion:
        files[_HERE / "xsd" / f"v{version.value}.xsd"] = xsd(version)
        text = json.dumps(json_schema(version), ensure_ascii=False, indent=2) + "\n"
        files[_HERE / "jsonschema" / f"v{version.value}.json"] = text.encode()
    return files


def main() -> None:
    for path, content in published_files().items():
        path.write_bytes(content)


if __name__ == "__main__":
    main()
