"""Write a batch of any size report by report, in constant memory."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO, Any

from lxml import etree

from schema.codes import SchemaVersion
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
    ns = f"{{{version.namespace}}}"
    count = 0
    with etree.xmlfile(out, encoding=encoding) as xf:
        xf.write_declaration()
        with xf.element(f"{ns}ChangeReportBatch", nsmap={None: version.namespace}):
            xf.write("\n")
            for plan in field_plans(type(header)):
                if plan.inline:
                    continue
                element = etree.Element(ns + plan.alias)
                value = getattr(header, plan.name)
                if plan.kind == "model":
                    fill_element(element, value, ns)
                else:
                    element.text = lexical(value)
                xf.write(element, pretty_print=True)
            for report in reports:
                element = etree.Element(f"{ns}report")
                fill_element(element, report, ns)
                xf.write(element, pretty_print=True)
                count += 1
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
