"""Write a batch of any size report by report, in constant memory."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO, Any

from lxml import etree

from schema.codes import SchemaVersion
from schema.gb18030 import xml_bytes
from schema.models._base import StandardModel
from schema.xmlcodec import field_plans, fill_element, lexical


def write_xml_batch(
    out: IO[bytes],
    version: SchemaVersion,
    header: StandardModel,
    reports: Iterable[StandardModel],
    *,
    encoding: str = "UTF-8",
) -> int:
    """Write ``<ChangeReportBatch>`` with the header fields then each report; return the count."""
    namespace = version.namespace
    ns = f"{{{namespace}}}"
    # Each part is serialised on its own; its copy of the default namespace declaration is
    # dropped because the batch element already declares it.
    inherited = f' xmlns="{namespace}"'.encode(encoding)

    def emit(element: etree._Element) -> None:
        text = xml_bytes(element, encoding, xml_declaration=False, pretty_print=True)
        out.write(text.replace(inherited, b"", 1))

    out.write(f"<?xml version='1.0' encoding='{encoding}'?>\n"
              f'<ChangeReportBatch xmlns="{namespace}">\n'.encode(encoding))
    for plan in field_plans(type(header)):
        if plan.inline:
            continue
        element = etree.Element(ns + plan.alias, nsmap={None: namespace})
        value = getattr(header, plan.name)
        if plan.kind == "model":
            fill_element(element, value, ns)
        else:
            element.text = lexical(value)
        emit(element)
    count = 0
    for report in reports:
        element = etree.Element(f"{ns}report", nsmap={None: namespace})
        fill_element(element, report, ns)
        emit(element)
        count += 1
    out.write("</ChangeReportBatch>\n".encode(encoding))
    return count


def write_json_batch(
    out: IO[bytes],
    version: SchemaVersion,
    header: StandardModel,
    reports: Iterable[StandardModel],
) -> int:
    """Write the JSON batch document with one report per line; return the count."""
    head: dict[str, Any] = {
        "type": "ChangeReportBatch",
        "schemaVersion": version.value,
        **header.model_dump(mode="json", exclude_none=True, exclude={"reports"}),
    }
    opening = json.dumps(head, ensure_ascii=False)[:-1] + ', "reports": [\n'
    out.write(opening.encode())
    count = 0
    for report in reports:
        if count:
            out.write(b",\n")
        out.write(report.model_dump_json(exclude_none=True).encode())
        count += 1
    out.write(b"\n]}\n")
    return count
