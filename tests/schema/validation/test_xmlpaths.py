"""Finding the source line of a field from its wire path."""

from __future__ import annotations

import pytest
from lxml import etree

from fixtures.generate import HERE as DOCUMENTS
from schema.validation._xmlpaths import line_of_path

BATCH = DOCUMENTS / "invalid" / "batch.count.xml"


def _lines() -> list[str]:
    return BATCH.read_text(encoding="utf-8").splitlines()


def _line_of(needle: str, occurrence: int = 0) -> int:
    hits = [n for n, text in enumerate(_lines(), start=1) if needle in text]
    return hits[occurrence]


@pytest.fixture(scope="module")
def root() -> etree._Element:
    return etree.parse(str(BATCH)).getroot()


def test_a_header_field(root: etree._Element) -> None:
    assert line_of_path(root, "period") == _line_of("<period>")
    assert line_of_path(root, "reportingUnit.department") == _line_of("<department>")


def test_fields_of_the_nth_report(root: etree._Element) -> None:
    assert line_of_path(root, "reports[1].reportId") == _line_of("<reportId>", 1)
    # the second idNumber is report 0's spouse
    assert line_of_path(root, "reports[1].record.idNumber") == _line_of("<idNumber>", 2)
    assert line_of_path(root, "reports[0].record.children[0].birthOrder") == _line_of(
        "<birthOrder>", 0)


def test_list_items(root: etree._Element) -> None:
    assert line_of_path(root, "reports[0].changedFields[2]") == _line_of(
        "<field>residenceAddress</field>", 0)


def test_a_missing_field_falls_back_to_its_deepest_ancestor(root: etree._Element) -> None:
    assert line_of_path(root, "reports[0].record.outflowDate") == _line_of("<record>", 0)
    assert line_of_path(root, "reports[0].record.children[5].sex") == _line_of("<children>", 0)


def test_an_out_of_range_report_stays_at_the_root(root: etree._Element) -> None:
    assert line_of_path(root, "reports[9].reportId") == root.sourceline


def test_the_empty_path_is_the_element_itself(root: etree._Element) -> None:
    assert line_of_path(root, "") == root.sourceline
