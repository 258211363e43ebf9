"""XML form of the documents: one element per field, in model order, lists wrapped.

Serialising walks the model; parsing turns an element (already checked against the
XSD) into the plain dict the model validates. A per-class plan, built once, keeps the
per-element work to a dictionary lookup.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import Enum
from functools import cache
from typing import Any, Literal, get_args, get_origin

from lxml import etree

from schema.artefacts import xml_schema
from schema.documents import DocumentType, document_type_for_tag, document_type_of
from schema.errors import DocumentInvalid, MalformedDocument, UnknownDocument
from schema.gb18030 import xml_bytes
from schema.issues import Issue, Severity
from schema.models._base import StandardModel
from schema.schemacheck import validate_model
from schema.xmlsafe import parse_xml

Kind = Literal["text", "int", "stripped", "model", "list"]

#: Lists whose items stand directly in the parent, without a wrapper element.
INLINE_LISTS = {"reports": "report"}


@dataclass(frozen=True, slots=True)
class FieldPlan:
    name: str
    alias: str
    kind: Kind
    model: type[StandardModel] | None = None
    item_tag: str | None = None
    item_kind: Kind | None = None
    inline: bool = False


def _unwrap_optional(annotation: Any) -> Any:
    args = [a for a in get_args(annotation) if a is not type(None)]
    if type(None) in get_args(annotation) and len(args) == 1:
        return args[0]
    return annotation


def _leaf_kind(annotation: Any) -> Kind:
    if annotation is int:
        return "int"
    if annotation in (dt.date, dt.datetime):
        return "stripped"  # xs:date and xs:dateTime collapse whitespace
    return "text"


def _model_of(annotation: Any) -> type[StandardModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, StandardModel):
        return annotation
    return None


@cache
def field_plans(model: type[StandardModel]) -> tuple[FieldPlan, ...]:
    """How each field of ``model`` is written in XML, in element order."""
    plans = []
    for name, info in model.model_fields.items():
        alias = info.alias or name
        annotation = _unwrap_optional(info.annotation)
        if get_origin(annotation) is list:
            (item,) = get_args(annotation)
            inline = alias in INLINE_LISTS
            item_tag = INLINE_LISTS.get(alias) or model.list_items[alias]
            sub = _model_of(item)
            plans.append(FieldPlan(name, alias, "list", sub, item_tag,
                                   "model" if sub else _leaf_kind(item), inline))
        elif (sub := _model_of(annotation)) is not None:
            plans.append(FieldPlan(name, alias, "model", sub))
        else:
            plans.append(FieldPlan(name, alias, _leaf_kind(annotation)))
    return tuple(plans)


_TEXT, _INT, _STRIPPED, _MODEL, _LIST = range(5)
_KIND_CODES = {"text": _TEXT, "int": _INT, "stripped": _STRIPPED, "model": _MODEL, "list": _LIST}
_NAMESPACES = ("urn:yipanqi:mfp:1", "urn:yipanqi:mfp:2")

# (wire name, kind code, sub-model, item kind code) for the hot loop of element_to_dict.
_TagPlan = tuple[str, int, "type[StandardModel] | None", int]


@cache
def _plans_by_tag(model: type[StandardModel]) -> dict[str, _TagPlan]:
    """Field plans keyed by the child element's Clark name in either namespace."""
    table: dict[str, _TagPlan] = {}
    for plan in field_plans(model):
        local = plan.item_tag if plan.inline and plan.item_tag else plan.alias
        entry = (plan.alias, _KIND_CODES[plan.kind], plan.model,
                 _KIND_CODES[plan.item_kind] if plan.item_kind else _TEXT)
        for ns in _NAMESPACES:
            table[f"{{{ns}}}{local}"] = entry
        table[local] = entry
    return table


def lexical(value: Any) -> str:
    """The XML text of a leaf value."""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, dt.date):  # datetime included
        return value.isoformat()
    return str(value)


def fill_element(parent: etree._Element, model: StandardModel, ns: str) -> None:
    """Append the elements of ``model``'s fields to ``parent``."""
    for plan in field_plans(type(model)):
        value = getattr(model, plan.name)
        if value is None:
            continue
        if plan.kind == "list":
            container = parent if plan.inline else etree.SubElement(parent, ns + plan.alias)
            for item in value:
                child = etree.SubElement(container, f"{ns}{plan.item_tag}")
                if plan.item_kind == "model":
                    fill_element(child, item, ns)
                else:
                    child.text = lexical(item)
        elif plan.kind == "model":
            fill_element(etree.SubElement(parent, ns + plan.alias), value, ns)
        else:
            etree.SubElement(parent, ns + plan.alias).text = lexical(value)


def to_element(document: StandardModel) -> etree._Element:
    """The XML element of a document, its namespace the default one."""
    doc_type = document_type_of(document)
    root = etree.Element(doc_type.tag, nsmap={None: doc_type.namespace})
    fill_element(root, document, f"{{{doc_type.namespace}}}")
    return root


def dumps_xml(document: StandardModel, *, encoding: str = "UTF-8", pretty: bool = True) -> bytes:
    """Serialise a document with an XML declaration."""
    return xml_bytes(to_element(document), encoding, xml_declaration=True, pretty_print=pretty)


def _leaf(element: etree._Element, kind: int) -> Any:
    text = element.text or ""
    if kind == _TEXT:
        return text
    if kind == _INT:
        return int(text.strip())
    return text.strip()


def element_to_dict(element: etree._Element, model: type[StandardModel]) -> dict[str, Any]:
    """The plain dict of an element that the XSD has accepted, keyed by wire names.

    This runs for every report of a batch, so it trades a little elegance for speed.
    """
    plans = _plans_by_tag(model)
    result: dict[str, Any] = {}
    for child in element:
        plan = plans.get(child.tag)  # type: ignore[arg-type]
        if plan is None:
            if isinstance(child.tag, str):  # not a comment: the model refuses it as extra
                result[child.tag.rpartition("}")[2]] = child.text
            continue
        alias, kind, sub, item_kind = plan
        if kind == _TEXT:
            result[alias] = child.text or ""
        elif kind == _MODEL:
            result[alias] = element_to_dict(child, sub)  # type: ignore[arg-type]
        elif kind == _LIST:
            target = result.setdefault(alias, [])
            items = (child,) if alias in INLINE_LISTS else child
            for item in items:
                if not isinstance(item.tag, str):
                    continue
                if item_kind == _MODEL:
                    target.append(element_to_dict(item, sub))  # type: ignore[arg-type]
                else:
                    target.append(_leaf(item, item_kind))
        else:
            result[alias] = _leaf(child, kind)
    return result


def header_to_dict(root: etree._Element, header_model: type[StandardModel]) -> dict[str, Any]:
    """The header fields of a batch element, read up to its first report."""
    plans = _plans_by_tag(header_model)
    result: dict[str, Any] = {}
    for child in root:
        if not isinstance(child.tag, str):
            continue
        if child.tag.endswith("}report"):
            break
        plan = plans.get(child.tag)
        if plan is None:
            result[child.tag.rpartition("}")[2]] = child.text
        elif plan[1] == _MODEL:
            result[plan[0]] = element_to_dict(child, plan[2])  # type: ignore[arg-type]
        else:
            result[plan[0]] = _leaf(child, plan[1])
    return result


_STEP = re.compile(r"\*(?:\[(\d+)\])?")
_LIST_ITEMS = {"child", "field"}


def wire_path(root: etree._Element, xpath: str | None, skip: int = 0) -> str:
    """Our path (``reports[2].record.children[0].sex``) for libxml2's positional XPath
    (``/*/*[7]/*[8]/*[16]/*[1]/*[1]``) of a node under ``root``.

    ``skip`` drops that many leading steps below the root, for errors found while
    validating a part of the document on its own.
    """
    if not xpath:
        return ""
    node, parts = root, []
    for depth, match in enumerate(_STEP.finditer(xpath.split("/", 2)[-1] if xpath.count("/")
                                                 > 1 else "")):
        children = [c for c in node if isinstance(c.tag, str)]
        position = int(match.group(1) or 1) - 1
        if position >= len(children):
            break
        node = children[position]
        if depth < skip:
            continue
        name = etree.QName(node).localname
        same = [c for c in children if c.tag == node.tag]
        if name == "report":
            parts.append(f"reports[{same.index(node)}]")
        elif name in _LIST_ITEMS:
            parts[-1:] = [f"{parts[-1] if parts else ''}[{same.index(node)}]"]
        else:
            parts.append(name)
    return ".".join(parts)


def xsd_issues(error_log: Any, prefix: str = "", root: etree._Element | None = None,
               skip: int = 0) -> list[Issue]:
    """One ``schema`` issue per libxml2 validation error, with its line and, given the
    validated ``root``, its path."""
    issues = []
    for entry in error_log:
        path = wire_path(root, entry.path, skip) if root is not None else ""
        issues.append(Issue("schema", Severity.ERROR, ".".join(filter(None, [prefix, path])),
                            f"不符合XSD：{entry.message}",
                            f"not valid against the XSD: {entry.message}", entry.line or None))
    return issues


def root_document_type(root: etree._Element) -> DocumentType:
    """The document type of a root element; :class:`UnknownDocument` if not ours."""
    if not isinstance(root.tag, str):
        raise MalformedDocument("no root element")
    return document_type_for_tag(root.tag)


def from_element(root: etree._Element) -> StandardModel:
    """The model of a whole document element, checked against its XSD and its model."""
    doc_type = root_document_type(root)
    schema = xml_schema(doc_type.version)
    if not schema.validate(root):
        raise DocumentInvalid(f"{doc_type.name} is not valid against the XSD",
                              xsd_issues(schema.error_log, root=root))
    document, issues = validate_model(doc_type.model, element_to_dict(root, doc_type.model))
    if document is None:
        raise DocumentInvalid(f"{doc_type.name} is not valid against the schema", issues)
    return document


def loads_xml(data: bytes) -> StandardModel:
    """Parse and schema-check an XML document (rules are not run here)."""
    return from_element(parse_xml(data))


__all__ = [
    "FieldPlan",
    "UnknownDocument",
    "dumps_xml",
    "element_to_dict",
    "field_plans",
    "fill_element",
    "from_element",
    "lexical",
    "loads_xml",
    "root_document_type",
    "to_element",
    "xsd_issues",
]
