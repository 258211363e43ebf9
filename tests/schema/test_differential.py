"""Differential tests: the models, the XSD and the JSON Schema accept the same documents.

Five judges look at every document:

- the model, through the JSON codec (``from_json_object``: ``model_validate`` of the body);
- the XSD, through lxml's ``XMLSchema`` and through the real ``xmllint --schema``;
- the JSON Schema, through ``jsonschema`` (with its ``FormatChecker``) and through
  ``jsonschema_rs`` (format validation on).

Valid generated documents must pass all of them. Broken documents are made by mutating
the wire form of a valid one; the XML side is written from the mutated dict by a small
generic writer here, not through the models. For every mutant the verdicts must agree,
and where the mutation's effect is known from DESIGN §3 (a required field dropped, a
value outside its table...) they must also be that verdict. Mutations XML cannot express
(JSON types, null, characters XML cannot carry, whitespace that xs:date collapses) are
judged by the model and the JSON Schema only.

The tables below are DESIGN §3's, written out independently of the models.
"""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from random import Random
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker
from lxml import etree

import schema
from schema.documents import document_type
from schema.errors import DocumentError
from schema.jsoncodec import dumps_json, from_json_object, to_json_object
from schema.models import v1, v2
from schema.models._base import StandardModel
from schema.models._types import MAX_INTEGER
from schema.xmlcodec import dumps_xml, loads_xml
from tests.schema.rules._build import ORG_CODE, credit_code, record, report
from tests.schema.strategies import DOCUMENT_NAMES, TEXT_CHARS, VERSIONS, any_document

HERE = Path(schema.__file__).parent
XMLLINT = shutil.which("xmllint")

# --- DESIGN §3, written out ------------------------------------------------------------

REQ, OPT, DEF = "required", "optional", "defaulted"  # DEF: may be left out, never null
#: Per part: (key, kind, presence, first version). A kind in brackets is a list of it.
SPEC: dict[str, list[tuple[str, str, str, int]]] = {
    "PersonRecord": [
        ("idNumber", "id", REQ, 1), ("name", "name", REQ, 1), ("sex", "sex", REQ, 1),
        ("birthDate", "date", REQ, 1), ("ethnicity", "code2", OPT, 1),
        ("education", "code2", OPT, 1), ("hukouRegion", "region", REQ, 1),
        ("hukouAddress", "address", OPT, 1), ("residenceRegion", "region", REQ, 1),
        ("residenceAddress", "address", REQ, 1), ("inflowDate", "date", OPT, 1),
        ("outflowDate", "date", OPT, 1), ("maritalStatus", "marital", REQ, 1),
        ("marriageDate", "date", OPT, 1), ("spouse", "Spouse", OPT, 1),
        ("children", "[Child]", OPT, 1), ("contraception", "Contraception", OPT, 1),
        ("certificate", "Certificate", OPT, 1),
        ("birthRegistration", "BirthRegistration", OPT, 2),
        ("employer", "Employer", OPT, 1), ("phone", "phone", OPT, 1),
    ],
    "Spouse": [("idNumber", "id", OPT, 1), ("name", "name", REQ, 1)],
    "Child": [
        ("name", "name", OPT, 1), ("sex", "sex", REQ, 1), ("birthDate", "date", REQ, 1),
        ("birthOrder", "order", REQ, 1), ("idNumber", "id", OPT, 1),
    ],
    "Contraception": [("method", "method", REQ, 1), ("since", "date", REQ, 1)],
    "Certificate": [
        ("number", "number", REQ, 1), ("issuingRegion", "region", REQ, 1),
        ("issueDate", "date", REQ, 1), ("expiryDate", "date", REQ, 1),
    ],
    "BirthRegistration": [
        ("number", "number", REQ, 2), ("registeredOn", "date", REQ, 2),
        ("registeringRegion", "region", REQ, 2),
    ],
    "Employer": [
        ("name", "orgname", REQ, 1), ("orgCode", "orgcode", OPT, 1),
        ("creditCode", "creditcode", OPT, 2),
    ],
    "ReportingUnit": [("region", "region", REQ, 1), ("department", "department", REQ, 1)],
    "ChangeReport": [
        ("reportId", "token", REQ, 1), ("changeType", "changetype", REQ, 1),
        ("effectiveDate", "date", REQ, 1), ("reportedAt", "datetime", REQ, 1),
        ("reportingUnit", "ReportingUnit", REQ, 1), ("baseVersion", "count", DEF, 1),
        ("changedFields", "[fieldname]", OPT, 1), ("record", "PersonRecord", REQ, 1),
        ("remarks", "remarks", OPT, 1),
    ],
    "ChangeReportBatch": [
        ("batchId", "token", REQ, 1), ("period", "period", REQ, 1),
        ("reportingUnit", "ReportingUnit", REQ, 1), ("reportCount", "count", REQ, 1),
        ("reports", "[ChangeReport]", REQ, 1),
    ],
}
#: Text kinds: (fewest, most) characters.
TEXT_LIMITS = {"name": (1, 50), "number": (1, 50), "orgname": (1, 100), "address": (0, 200),
               "phone": (0, 20), "remarks": (0, 500)}
CHANGE_TYPES = ["INFLOW", "OUTFLOW", "RETURN", "RESIDENCE_CHANGE", "MARITAL_CHANGE", "BIRTH",
                "CONTRACEPTION_CHANGE", "CERTIFICATE_CHANGE", "EMPLOYER_CHANGE", "CORRECTION",
                "DEATH", "CANCELLATION"]
RECORD_FIELDS = [key for key, _, _, _ in SPEC["PersonRecord"]]
#: Code tables; per version where they differ.
ENUMS: dict[str, dict[int, list[str]]] = {
    "sex": {1: ["0", "1", "2", "9"]},
    "marital": {1: ["10", "20", "21", "22", "23", "30", "40", "90"]},
    "method": {1: ["00", "01", "02", "03", "04", "05", "06", "07", "08"]},
    "department": {1: ["RKJS", "GA", "MZ", "WS", "RS", "JY", "GS", "FG"]},
    "changetype": {1: CHANGE_TYPES, 2: [*CHANGE_TYPES, "BIRTH_REGISTRATION"]},
    "fieldname": {1: [f for f in RECORD_FIELDS if f != "birthRegistration"], 2: RECORD_FIELDS},
}
INTEGER_KINDS = {"count": 0, "order": 1}  # kind: least value; the most is 2^53 - 1
COLLAPSED_KINDS = {"date", "datetime"}  # xs:date and xs:dateTime collapse whitespace


def enum_values(kind: str, version: int) -> list[str]:
    table = ENUMS[kind]
    return table[max(v for v in table if v <= version)]


#: Values of each leaf kind that every judge must refuse (and XML can carry).
BAD: dict[str, list[Any]] = {
    "id": ["41162219850312122", "4116221985031212200", "41162219850312122x",
           "41162219850312122Ｘ", "4116221985O312122X", " 411622198503121220",
           "411622198503121220\n", "٤11622198503121220", ""],
    "region": ["41010", "4101000", "41010a", "410100\n", " 410100", "٤١٠١٠٠", "", "410 100"],
    "code2": ["1", "001", "a1", "01\n", "", "０1"],
    "orgcode": ["417100009", "4171000-9", "abcdefgh-1", "41710000-Y", "41710000-9\n",
                "41710000_9", "41710000-9 "],
    "creditcode": ["91410105MA3X4G2R1", "91410105MA3X4G2R1BB", "91410105MA3X4G2RAB",
                   "91410105MI3X4G2R1B", "9141010AMA3X4G2R1B", "91410105ma3x4g2r1b",
                   "91410105MA3X4G2R1B\n", "91410105MA3X4G2ROB"],
    "token": ["", "a" * 65, "a b", "报告", "a/b", "R1\n", "R1 "],
    "period": ["2010-13", "2010-4", "201004", "2010-00", "2010-04-01", "2010-04\n", "10-04"],
    "date": ["2010-4-7", "2010-02-30", "1900-02-29", "0000-01-01", "20100407", "2010-04-07Z",
             "2010-04-07+08:00", "2010-04-07T00:00:00+08:00", "+2010-04-07", "10000-01-01",
             "2010-13-01", "2010-04-00", "2010/04/07", "２010-04-07", "", "2010-04-07 x"],
    "datetime": ["2010-04-07T09:30:00", "2010-04-07T09:30:00+15:00",
                 "2010-04-07T09:30:00+14:01", "2010-04-07T09:30:00-23:59",
                 "2010-04-07 09:30:00+08:00", "2010-04-07t09:30:00+08:00",
                 "2010-04-07T09:30:00z", "2010-04-07T09:30:00.1234567+08:00",
                 "2010-04-07T24:00:00+08:00", "2010-04-07T09:30:60+08:00",
                 "2010-02-30T09:30:00+08:00", "0000-04-07T09:30:00+08:00",
                 "2010-04-07T09:30:00+0800", "2010-04-07T09:30+08:00", "2010-04-07",
                 "2010-04-07T09:30:00.+08:00", "2010-04-07T9:30:00+08:00", ""],
    "sex": ["3", "男", "02", " 2", "M", ""],
    "marital": ["24", "2", "00", "91", "20 "],
    "method": ["09", "3", "003", "10"],
    "department": ["XX", "rkjs", "RKJS ", "GAJ", ""],
    "changetype": ["FOO", "inflow", "Inflow", "BIRTHS", ""],
    "fieldname": ["foo", "type", "IdNumber", "id_number", "record", ""],
    "count": [-1, -(10**30), MAX_INTEGER + 1, 10**30],
    "order": [0, -1, MAX_INTEGER + 1],
}
#: Boundary values of each leaf kind that every judge must accept.
GOOD: dict[str, list[Any]] = {
    "id": ["00000000000000000X", "999999999999999999"],
    "region": ["000000", "999999"],
    "code2": ["00", "99"],
    "orgcode": ["00000000-0", "ZZZZZZZZ-X"],
    "creditcode": ["000000000000000000", "99999999YYYYYYYYXY"],
    "token": ["a", "A" * 64, "._-", "2010.04-R_1"],
    "period": ["2010-01", "2010-12", "9999-12"],
    "date": ["2000-02-29", "0001-01-01", "9999-12-31", "1900-03-01", "0010-01-01",
             "0100-01-01", "1000-01-01", "0999-12-31"],
    "datetime": ["2010-04-07T09:30:00+14:00", "2010-04-07T09:30:00-14:00",
                 "2010-04-07T09:30:00Z", "2010-04-07T09:30:00.5+08:00",
                 "2010-04-07T09:30:00.000001-00:00", "2010-04-07T23:59:59+13:59",
                 "0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999+14:00",
                 "2000-02-29T00:00:00+05:45"],
    "count": [0, MAX_INTEGER],
    "order": [1, MAX_INTEGER],
}
_EDGE_TEXT = "王·𠀀 A"


def _text_of(n: int) -> str:
    return (_EDGE_TEXT * (n // len(_EDGE_TEXT) + 1))[:n]


for _kind, (_low, _high) in TEXT_LIMITS.items():
    GOOD[_kind] = sorted({_text_of(_low), _text_of(max(_low, 1)), _text_of(_high),
                          "\x7f\x85\u00a0\u2028\ufffd", " 前后空格 "})
    BAD[_kind] = [_text_of(_high + 1), "王\t秀", "王\n秀", "王秀\r", "王秀\n"] + (
        [""] if _low else []
    )
#: Characters XML cannot carry: refused by the model and the JSON Schema only.
NOT_IN_XML = ["\x00", "\x01", "\x1f", "\ufffe", "\uffff"]


# --- the judges --------------------------------------------------------------------------


def _xml_char(c: str) -> bool:
    o = ord(c)
    return (o in (0x9, 0xA, 0xD) or 0x20 <= o <= 0xD7FF or 0xE000 <= o <= 0xFFFD
            or 0x10000 <= o <= 0x10FFFF)


def _collect_list_items() -> dict[str, str]:
    items: dict[str, str] = {}
    for module in (v1, v2):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, StandardModel):
                items.update(value.list_items)
    return items


#: Item element names of the lists, as the models name them; reports stand inline.
LIST_ITEMS = _collect_list_items()
INLINE = {"reports"}


class NotXml(Exception):
    """The mutated value has no XML form."""


def to_xml(obj: dict[str, Any]) -> etree._Element:
    """A generic dict → XML writer: an element per key in the dict's order."""
    namespace = f"urn:yipanqi:mfp:{obj['schemaVersion']}"
    root = etree.Element(f"{{{namespace}}}{obj['type']}", nsmap={None: namespace})
    _fill(root, {k: v for k, v in obj.items() if k not in ("type", "schemaVersion")},
          f"{{{namespace}}}")
    return root


def _fill(parent: etree._Element, mapping: dict[str, Any], ns: str) -> None:
    for key, value in mapping.items():
        if isinstance(value, list):
            container = parent if key in INLINE else etree.SubElement(parent, ns + key)
            for item in value:
                _element(container, ns + LIST_ITEMS.get(key, "item"), item, ns)
        else:
            _element(parent, ns + key, value, ns)


def _element(parent: etree._Element, tag: str, value: Any, ns: str) -> None:
    element = etree.SubElement(parent, tag)
    if isinstance(value, dict):
        _fill(element, value, ns)
    elif isinstance(value, str) and all(_xml_char(c) for c in value):
        element.text = value
    elif isinstance(value, int) and not isinstance(value, bool):
        element.text = str(value)
    else:
        raise NotXml(repr(value))


def xml_bytes(obj: dict[str, Any]) -> bytes:
    return etree.tostring(to_xml(obj), xml_declaration=True, encoding="UTF-8")


@cache
def _json_schema(version: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(
        (HERE / "jsonschema" / f"v{version}.json").read_text(encoding="utf-8")
    )
    return loaded


@cache
def _python_validator(version: str) -> Draft202012Validator:
    checker = FormatChecker()
    assert "date-time" in checker.checkers, (
        "jsonschema cannot check format date-time: install rfc3339-validator "
        "(jsonschema's [format] extra), or it accepts 2010-02-30T09:30:00+08:00"
    )
    return Draft202012Validator(_json_schema(version), format_checker=checker)


@cache
def _rust_validator(version: str) -> Any:
    return jsonschema_rs.validator_for(_json_schema(version), validate_formats=True)


@cache
def _xml_schema(version: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(HERE / "xsd" / f"v{version}.xsd")))


def model_accepts(obj: dict[str, Any]) -> bool:
    try:
        from_json_object(obj)
    except DocumentError:
        return False
    return True


def json_schema_verdicts(obj: dict[str, Any]) -> dict[str, bool]:
    """Valid under the published schema of either version (each pins its schemaVersion)."""
    return {
        "jsonschema": any(_python_validator(v).is_valid(obj) for v in VERSIONS),
        "jsonschema_rs": any(_rust_validator(v).is_valid(obj) for v in VERSIONS),
    }


def xml_verdicts(data: bytes, version: str) -> dict[str, bool]:
    xsd = _xml_schema(version).validate(etree.fromstring(data))
    try:
        loads_xml(data)
        codec = True
    except DocumentError:
        codec = False
    return {"xsd": xsd, "xml codec": codec}


# --- mutants -----------------------------------------------------------------------------


@dataclass
class Mutant:
    """A mutated wire-form document and what is known of its validity."""

    obj: dict[str, Any]
    label: str
    expected: bool | None  # None: only agreement is checked
    xml: bool = True  # expressible in XML
    version: str = field(init=False)

    def __post_init__(self) -> None:
        self.version = str(self.obj.get("schemaVersion")) if self.obj.get(
            "schemaVersion") in VERSIONS else "1"
        if self.xml:
            try:
                xml_bytes(self.obj)
            except NotXml:
                self.xml = False


def judge(mutant: Mutant) -> dict[str, bool]:
    verdicts = {"model": model_accepts(mutant.obj), **json_schema_verdicts(mutant.obj)}
    if mutant.xml:
        verdicts |= xml_verdicts(xml_bytes(mutant.obj), mutant.version)
    return verdicts


def check(mutant: Mutant) -> None:
    """Every judge gives the same verdict, and the expected one where it is known."""
    verdicts = judge(mutant)
    summary = f"{mutant.label}: {verdicts}"
    if mutant.expected is not None:
        assert verdicts["model"] is mutant.expected, summary
    assert len(set(verdicts.values())) == 1, "judges disagree on " + summary


@dataclass(frozen=True)
class Site:
    """Where a value sits: the path to its container, its key there, and what it is."""

    parent: tuple[str | int, ...]
    key: str | int
    kind: str
    presence: str


@dataclass
class Layout:
    sites: list[Site]
    objects: list[tuple[tuple[str | int, ...], str]]


def layout(obj: dict[str, Any]) -> Layout:
    version = int(obj["schemaVersion"])
    found = Layout([], [])

    def walk(node: dict[str, Any], kind: str, path: tuple[str | int, ...]) -> None:
        found.objects.append((path, kind))
        for key, sub, presence, since in SPEC[kind]:
            if since > version:
                continue
            found.sites.append(Site(path, key, sub, presence))
            if key not in node:
                continue
            if sub.startswith("["):
                item = sub[1:-1]
                for index, value in enumerate(node[key]):
                    if item in SPEC:
                        walk(value, item, (*path, key, index))
                    else:
                        found.sites.append(Site((*path, key), index, item, REQ))
            elif sub in SPEC:
                walk(node[key], sub, (*path, key))

    walk(obj, obj["type"], ())
    return found


def node_at(obj: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        obj = obj[part]
    return obj


def present(obj: dict[str, Any], site: Site) -> bool:
    container = node_at(obj, site.parent)
    if isinstance(site.key, int):
        return site.key < len(container)
    return site.key in container


def replaced(obj: dict[str, Any], site: Site, value: Any) -> dict[str, Any]:
    result = copy.deepcopy(obj)
    node_at(result, site.parent)[site.key] = value
    return result


def _describe(site: Site) -> str:
    return ".".join(str(p) for p in (*site.parent, site.key))


def _is_leaf(kind: str) -> bool:
    return not kind.startswith("[") and kind not in SPEC


def _with_key(node: dict[str, Any], key: str, value: Any, owner: str,
              position: int | None = None) -> dict[str, Any]:
    """``node`` with ``key`` added: at ``position``, or where the design puts it."""
    items = list(node.items())
    if position is None:
        order = [k for k, _, _, _ in SPEC[owner]]
        position = sum(1 for k, _ in items if k in order and order.index(k) < order.index(key))
    items.insert(position, (key, value))
    return dict(items)


def op_drop(draw: st.DrawFn, rng: Random, obj: dict[str, Any], lay: Layout) -> Mutant | None:
    sites = [s for s in lay.sites if isinstance(s.key, str) and present(obj, s)]
    site = rng.choice(sites)
    result = copy.deepcopy(obj)
    del node_at(result, site.parent)[site.key]
    return Mutant(result, f"drop {site.presence} {_describe(site)}", site.presence != REQ)


UNKNOWN_KEYS = ["extra", "remark", "idnumber", "IdNumber", "x-custom", "comment", "type",
                "schemaVersion", "中文", "creditcode", "Name", "id_number", "birth_date",
                "hukou_address", "report_id", "org_code"]


def op_unknown_key(draw: st.DrawFn, rng: Random, obj: dict[str, Any], lay: Layout) -> Mutant | None:
    path, kind = rng.choice(lay.objects)
    known = {k for k, _, _, _ in SPEC[kind]} | ({"type", "schemaVersion"} if path == () else set())
    key = rng.choice([k for k in UNKNOWN_KEYS if k not in known])
    result = copy.deepcopy(obj)
    node = node_at(result, path)
    position = rng.randint(0, len(node))
    new = _with_key(node, key, rng.choice(["x", "", "1"]), kind, position)
    if path:
        node_at(result, path[:-1])[path[-1]] = new
    else:
        result = new
    return Mutant(result, f"unknown key {key!r} in {kind} at {path}", False)


def _leaf_sites(obj: dict[str, Any], lay: Layout) -> list[Site]:
    return [s for s in lay.sites if _is_leaf(s.kind) and present(obj, s)]


def bad_values(kind: str, version: int) -> list[Any]:
    values = list(BAD[kind])
    if kind == "changetype" and version == 1:
        values.append("BIRTH_REGISTRATION")
    if kind == "fieldname" and version == 1:
        values.append("birthRegistration")
    return values


def good_values(kind: str, version: int) -> list[Any]:
    return enum_values(kind, version) if kind in ENUMS else GOOD[kind]


def op_bad_value(draw: st.DrawFn, rng: Random, obj: dict[str, Any], lay: Layout) -> Mutant | None:
    site = rng.choice(_leaf_sites(obj, lay))
    values = bad_values(site.kind, int(obj["schemaVersion"]))
    if site.kind in TEXT_LIMITS:
        current = node_at(obj, site.parent)[site.key]
        at = rng.randint(0, len(current))
        bad = rng.choice(NOT_IN_XML + ["\t", "\n", "\r"])
        values.append(current[:at] + bad + current[at:])
        low, high = TEXT_LIMITS[site.kind]
        values.append(draw(st.text(TEXT_CHARS, min_size=high + 1, max_size=high + 3)))
    value = rng.choice(values)
    return Mutant(replaced(obj, site, value), f"bad {site.kind} {_describe(site)} = {value!r}",
                  False)


def op_good_value(draw: st.DrawFn, rng: Random, obj: dict[str, Any], lay: Layout) -> Mutant | None:
    site = rng.choice(_leaf_sites(obj, lay))
    value = rng.choice(good_values(site.kind, int(obj["schemaVersion"])))
    return Mutant(replaced(obj, site, value),
                  f"good {site.kind} {_describe(site)} = {value!r}", True)


def op_wrong_type(draw: st.DrawFn, rng: Random, obj: dict[str, Any], lay: Layout) -> Mutant | None:
    """A JSON type the standard does not use there (XML cannot tell most of them apart)."""
    site = rng.choice([s for s in lay.sites if present(obj, s)])
    current = node_at(obj, site.parent)[site.key]
    nullable = site.presence == OPT and isinstance(site.key, str)
    choices: list[tuple[Any, bool]] = [(None, nullable), (True, False), (1.5, False)]
    if site.kind in INTEGER_KINDS:
        choices += [(str(current), False), ([current], False)]
        if abs(current) < 2**53:
            choices.append((float(current), True))  # JSON Schema: 3.0 is an integer
    elif _is_leaf(site.kind):
        number = int(current) if current.isascii() and current.isdigit() else 2
        choices += [(number, False), ([current], False), ({"value": current}, False)]
    elif site.kind.startswith("["):
        choices += [(current[0], False), ("x", False), ([1], False)]
    else:
        choices += [([current], False), ("x", False), (1, False), ({}, False)]
    value, expected = rng.choice(choices)
    return Mutant(replaced(obj, site, value),
                  f"wrong type {_describe(site)} = {value!r}", expected, xml=False)


def op_empty_list(draw: st.DrawFn, rng: Random, obj: dict[str, Any], lay: Layout) -> Mutant | None:
    sites = [s for s in lay.sites if s.kind.startswith("[") and present(obj, s)]
    if not sites:
        return None
    site = rng.choice(sites)
    return Mutant(replaced(obj, site, []), f"empty list {_describe(site)}", False)


def op_version_two_in_one(draw: st.DrawFn, rng: Random, obj: dict[str, Any],
                          lay: Layout) -> Mutant | None:
    """What only version 2 has, in a version 1 document."""
    if obj["schemaVersion"] != "1":
        return None
    choices: list[tuple[tuple[str | int, ...], str, str, Any]] = []
    for path, kind in lay.objects:
        if kind == "PersonRecord":
            choices.append((path, kind, "birthRegistration", {
                "number": "豫生登2010-0456", "registeredOn": "2009-01-10",
                "registeringRegion": "411622"}))
        elif kind == "Employer":
            choices.append((path, kind, "creditCode", credit_code(ORG_CODE)))
        elif kind == "ChangeReport":
            choices.append((path, kind, "changeType", "BIRTH_REGISTRATION"))
            choices.append((path, kind, "changedFields", ["name", "birthRegistration"]))
    path, kind, key, value = rng.choice(choices)
    result = copy.deepcopy(obj)
    node = node_at(result, path)
    if key in node:
        node[key] = value
    else:
        new = _with_key(node, key, value, kind)
        if path:
            node_at(result, path[:-1])[path[-1]] = new
        else:
            result = new
    return Mutant(result, f"version 2 {key} in version 1 at {path}", False)


_NEAR_MISS = st.sampled_from("0123456789-:T+Z.xX aA中·\n\t")


def op_random_value(draw: st.DrawFn, rng: Random, obj: dict[str, Any],
                    lay: Layout) -> Mutant | None:
    """Any value at all: only agreement is checked (both ways)."""
    site = rng.choice(_leaf_sites(obj, lay))
    if site.kind in INTEGER_KINDS:
        number = draw(st.integers(-3, 3))
        return Mutant(replaced(obj, site, number), f"integer {_describe(site)} = {number}",
                      number >= INTEGER_KINDS[site.kind])
    current = node_at(obj, site.parent)[site.key]
    value = draw(st.one_of(
        st.text(_NEAR_MISS, max_size=30),
        st.text(TEXT_CHARS, max_size=5),
        st.integers(0, len(current)).map(lambda n: current[:n]),
        st.text(_NEAR_MISS, max_size=2).map(lambda s: current + s),
        st.sampled_from(current).map(lambda c: current.replace(c, "9", 1)) if current
        else st.just("9"),
    ))
    xml = not (site.kind in COLLAPSED_KINDS and value != value.strip(" \t\n\r"))
    return Mutant(replaced(obj, site, value), f"random {site.kind} {_describe(site)} = "
                  f"{value!r}", None, xml=xml)


def op_root(draw: st.DrawFn, rng: Random, obj: dict[str, Any], lay: Layout) -> Mutant | None:
    """The document type and version in JSON."""
    flip = "2" if obj["schemaVersion"] == "1" else "1"
    choices: list[tuple[str, Any, bool | None]] = [
        # Version 2 holds every version 1 document; the other way only some.
        ("schemaVersion", flip, True if flip == "2" else None),
        ("schemaVersion", "3", False), ("schemaVersion", int(obj["schemaVersion"]), False),
        ("schemaVersion", None, False),
        ("type", rng.choice([n for n in DOCUMENT_NAMES if n != obj["type"]]),
         False),
        ("type", "Receipt", False), ("type", obj["type"].lower(), False), ("type", None, False),
    ]
    key, value, expected = rng.choice(choices)
    result = copy.deepcopy(obj)
    if value is None:
        del result[key]
    else:
        result[key] = value
    return Mutant(result, f"root {key} = {value!r}", expected, xml=False)


OPS = [op_drop, op_unknown_key, op_bad_value, op_good_value, op_wrong_type, op_empty_list,
       op_version_two_in_one, op_random_value, op_root]


OPS_BY_NAME = {op.__name__.removeprefix("op_"): op for op in OPS}


@st.composite
def mutants(draw: st.DrawFn, version: str, op_name: str | None = None) -> Mutant:
    """A mutant of a valid document: by one operation, or by any that applies."""
    document: StandardModel = draw(any_document(version))
    obj = copy.deepcopy(to_json_object(document))
    lay = layout(obj)
    # Places and choices are picked by a Random seeded with the document itself:
    # uniform (Hypothesis's own choices lean hard to the first of a list), and a
    # failing example replays exactly.
    digest = hashlib.sha256(json.dumps(obj, sort_keys=True).encode()).hexdigest()
    rng = Random(f"{digest}-{draw(st.integers(0, 2**16))}")
    ops = [OPS_BY_NAME[op_name]] if op_name else rng.sample(OPS, len(OPS))
    for op in ops:
        mutant = op(draw, rng, obj, lay)
        if mutant is not None:
            return mutant
    # The operation does not apply to this document (e.g. no list in it).
    return Mutant(obj, "unchanged", True)


# --- xmllint -------------------------------------------------------------------------------


def xmllint(documents: list[bytes], version: str) -> list[bool]:
    """xmllint's verdict on each document, from one run."""
    assert XMLLINT, "xmllint is required (Debian package libxml2-utils)"
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for index, data in enumerate(documents):
            path = Path(tmp) / f"doc{index}.xml"
            path.write_bytes(data)
            paths.append(str(path))
        run = subprocess.run(
            [XMLLINT, "--noout", "--schema", str(HERE / "xsd" / f"v{version}.xsd"), *paths],
            capture_output=True, text=True, timeout=120, check=False,
        )
    verdicts = {}
    for line in run.stderr.splitlines():
        for suffix, verdict in ((" validates", True), (" fails to validate", False)):
            if line.endswith(suffix) and line[: -len(suffix)] in paths:
                verdicts[line[: -len(suffix)]] = verdict
    assert set(verdicts) == set(paths), run.stderr[-2000:]
    assert run.returncode == (0 if all(verdicts.values()) else 3), run.stderr[-2000:]
    return [verdicts[p] for p in paths]


# --- the tests -----------------------------------------------------------------------------

SLOW_DATA = [HealthCheck.too_slow, HealthCheck.data_too_large]


def test_xmllint_is_there() -> None:
    assert XMLLINT, "xmllint is required (Debian package libxml2-utils)"


def test_jsonschema_checks_date_times() -> None:
    _python_validator("2")  # asserts that the date-time checker is there
    assert not FormatChecker().conforms("2010-02-30T09:30:00+08:00", "date-time")


@pytest.mark.parametrize("version", VERSIONS)
@settings(max_examples=5, deadline=None, suppress_health_check=SLOW_DATA)
@given(data=st.data())
def test_valid_documents_pass_every_judge(version: str, data: st.DataObject) -> None:
    documents = data.draw(st.lists(any_document(version), min_size=8, max_size=8))
    encodings = ["UTF-8", "GB18030"]
    files = [dumps_xml(d, encoding=encodings[i % 2], pretty=i % 3 != 0)
             for i, d in enumerate(documents)]
    assert xmllint(files, version) == [True] * len(files)
    for document, xml in zip(documents, files, strict=True):
        obj = json.loads(dumps_json(document))
        assert _python_validator(version).is_valid(obj), list(
            _python_validator(version).iter_errors(obj))
        assert _rust_validator(version).is_valid(obj), obj
        assert _xml_schema(version).validate(etree.fromstring(xml))
        # The generic writer of the mutants writes what the XML codec reads back as the
        # same document (not the same bytes: JSON writes a zero offset Z, XML +00:00).
        assert loads_xml(etree.tostring(to_xml(obj))) == document


def _rich_documents(version: str) -> Iterator[dict[str, Any]]:
    """Documents with a value of every kind: every field of the record is filled."""
    extra = {"employer": {"name": "某某公司", "orgCode": ORG_CODE,
                          "creditCode": credit_code(ORG_CODE)}} if version == "2" else {}
    base = report(version, extra, changedFields=["name", "spouse"], remarks="备注", baseVersion=3)
    yield to_json_object(base)
    yield to_json_object(record(version, **extra))
    yield json.loads(dumps_json(_batch(version, [base, base])))


def _batch(version: str, reports: list[StandardModel]) -> StandardModel:
    return document_type("ChangeReportBatch", version).model.model_validate({
        "batchId": "B-2010-04", "period": "2010-04",
        "reportingUnit": {"region": "410102", "department": "RKJS"},
        "reportCount": len(reports),
        "reports": [{k: v for k, v in to_json_object(r).items()
                     if k not in ("type", "schemaVersion")} for r in reports],
    })


@cache
def listed_mutants(version: str) -> list[Mutant]:
    """Every listed bad and good value at the first place of its kind, and more."""
    result = []
    rich = list(_rich_documents(version))
    report_obj, record_obj, batch_obj = rich
    v = int(version)
    first: dict[str, tuple[dict[str, Any], Site]] = {}
    for obj in rich:
        lay = layout(obj)
        for site in lay.sites:
            if present(obj, site) and site.kind not in first:
                first[site.kind] = (obj, site)
    assert (set(BAD) | set(ENUMS)) - set(first) <= ({"creditcode"} if v == 1 else set())
    for kind in dict.fromkeys([*BAD, *ENUMS]):
        if kind not in first:
            continue
        obj, site = first[kind]
        for value in bad_values(kind, v) + [c + "x" for c in NOT_IN_XML if kind in TEXT_LIMITS]:
            result.append(Mutant(replaced(obj, site, value),
                                 f"bad {kind} {_describe(site)} = {value!r}", False))
        for value in good_values(kind, v):
            result.append(Mutant(replaced(obj, site, value),
                                 f"good {kind} {_describe(site)} = {value!r}", True))
    for obj in rich:
        for site in layout(obj).sites:
            if isinstance(site.key, int) or not present(obj, site):
                continue
            dropped = copy.deepcopy(obj)
            del node_at(dropped, site.parent)[site.key]
            result.append(Mutant(dropped, f"drop {_describe(site)}", site.presence != REQ))
            if site.kind.startswith("["):
                result.append(Mutant(replaced(obj, site, []), f"empty {_describe(site)}", False))
    result.append(Mutant({**record_obj, "extra": "x"}, "unknown key", False))
    if version == "1":
        for key, value in [("birthRegistration", {"number": "1", "registeredOn": "2009-01-10",
                                                  "registeringRegion": "411622"})]:
            result.append(Mutant(_with_key(record_obj, key, value, "PersonRecord"),
                                 f"v2 {key} in v1", False))
        with_credit = copy.deepcopy(report_obj)
        with_credit["record"]["employer"]["creditCode"] = credit_code(ORG_CODE)
        result.append(Mutant(with_credit, "v2 creditCode in v1", False))
        result.append(Mutant({**report_obj, "changeType": "BIRTH_REGISTRATION"},
                             "BIRTH_REGISTRATION in v1", False))
    else:
        result.append(Mutant({**report_obj, "changeType": "BIRTH_REGISTRATION"},
                             "BIRTH_REGISTRATION in v2", True))
    result.append(Mutant({**batch_obj, "reports": batch_obj["reports"][:1]},
                         "reportCount is a rule, not the schema", True))
    return result


@pytest.mark.parametrize("version", VERSIONS)
def test_listed_mutations(version: str) -> None:
    """The mutations DESIGN §3 decides, each judged by every judge but xmllint."""
    mutants_ = listed_mutants(version)
    assert len(mutants_) > 300
    for mutant in mutants_:
        check(mutant)


@pytest.mark.parametrize("version", VERSIONS)
def test_listed_mutations_with_xmllint(version: str) -> None:
    mutants_ = [m for m in listed_mutants(version) if m.xml]
    verdicts = xmllint([xml_bytes(m.obj) for m in mutants_], version)
    for mutant, verdict in zip(mutants_, verdicts, strict=True):
        assert verdict is model_accepts(mutant.obj), f"xmllint: {verdict} on {mutant.label}"


@pytest.mark.parametrize("op_name", list(OPS_BY_NAME))
@pytest.mark.parametrize("version", VERSIONS)
@settings(max_examples=20, deadline=None, suppress_health_check=SLOW_DATA)
@given(data=st.data())
def test_random_mutations_agree(version: str, op_name: str, data: st.DataObject) -> None:
    check(data.draw(mutants(version, op_name)))


@pytest.mark.parametrize("version", VERSIONS)
@settings(max_examples=6, deadline=None, suppress_health_check=SLOW_DATA)
@given(data=st.data())
def test_random_mutations_agree_with_xmllint(version: str, data: st.DataObject) -> None:
    batch = [m for m in data.draw(st.lists(mutants(version), min_size=10, max_size=10)) if m.xml]
    verdicts = xmllint([xml_bytes(m.obj) for m in batch], version)
    for mutant, verdict in zip(batch, verdicts, strict=True):
        assert verdict is model_accepts(mutant.obj), f"xmllint: {verdict} on {mutant.label}"


@pytest.mark.parametrize("version", VERSIONS)
def test_models_follow_the_design_tables(version: str) -> None:
    """SPEC above is DESIGN §3; the models must say the same, field by field."""
    module = v1 if version == "1" else v2
    for part, fields in SPEC.items():
        if part == "BirthRegistration" and version == "1":
            assert not hasattr(module, part)
            continue
        model = getattr(module, part)
        wanted = [(key, presence) for key, _, presence, since in fields if since <= int(version)]
        got = []
        for name, info in model.model_fields.items():
            if info.is_required():
                presence = REQ
            else:
                presence = OPT if info.default is None else DEF
            got.append((info.alias or name, presence))
        assert got == wanted, part


@pytest.mark.parametrize("version", VERSIONS)
def test_code_tables_follow_the_design(version: str) -> None:
    properties = _json_schema(version)["$defs"]
    assert properties["Sex"]["enum"] == ENUMS["sex"][1]
    assert properties["MaritalStatus"]["enum"] == ENUMS["marital"][1]
    assert properties["ContraceptionMethod"]["enum"] == ENUMS["method"][1]
    assert properties["Department"]["enum"] == ENUMS["department"][1]
    change_type = properties["ChangeReport"]["properties"]["changeType"]
    values = (properties["ChangeType"] if "$ref" in change_type else change_type)["enum"]
    assert values == enum_values("changetype", int(version))


@pytest.mark.parametrize("version", VERSIONS)
def test_snake_case_keys_are_refused(version: str) -> None:
    """The models know their fields by Python name too; the wire knows only the standard's."""
    obj = json.loads(dumps_json(report(version)))
    obj["record"]["hukou_address"] = obj["record"].pop("hukouAddress")
    check(Mutant(obj, "snake_case key", False))
