"""text.lost: names and addresses holding U+FFFD, on records and on notices."""

from typing import Any

import pytest

from schema.rules import check_notice, check_record

from ._build import TODAY, VERSIONS, found, record, record_data
from .test_notice import notice

LOST = "\ufffd"


def _record_findings(version: str, **changes: Any) -> list[tuple[str, str, str]]:
    return found(check_record(record(version, **changes), today=TODAY))


@pytest.mark.parametrize("version", VERSIONS)
def test_every_name_and_address_is_looked_at(version: str) -> None:
    base = record_data(version)
    children = base["children"] + [{"name": f"李{LOST}", "sex": "2", "birthDate": "2010-01-02",
                                    "birthOrder": 2}]
    findings = _record_findings(
        version, name=f"王{LOST}英", hukouAddress=f"河南省{LOST}{LOST}县",
        residenceAddress=f"郑州市{LOST}", spouse={**base["spouse"], "name": f"{LOST}建国"},
        children=children, employer={**base["employer"], "name": f"百货{LOST}"})
    assert findings == [("text.lost", "warning", path) for path in (
        "name", "hukouAddress", "residenceAddress", "spouse.name", "children[1].name",
        "employer.name")]


@pytest.mark.parametrize("version", VERSIONS)
def test_clean_texts_and_other_unusual_characters_pass(version: str) -> None:
    assert _record_findings(version) == []
    assert _record_findings(version, name="王秀英\u3000", residenceAddress="郑州市〇号?") == []


def test_the_message_shows_the_text_cut_short() -> None:
    (issue,) = check_record(record("2", residenceAddress="郑" * 60 + LOST), today=TODAY)
    assert issue.rule == "text.lost" and "U+FFFD" in issue.message_en
    assert "郑" * 40 + "…" in issue.message_zh and LOST * 2 not in issue.message_zh


def test_a_notice_subject_and_its_partial_record() -> None:
    lost = notice(subject={"idNumber": notice().subject.id_number, "name": f"王{LOST}英"},
                  record={"sex": "2", "birthDate": "1985-03-12", "inflowDate": "2010-03-15",
                          "residenceRegion": "410102", "residenceAddress": f"{LOST}路"})
    assert [(i.rule, i.path) for i in check_notice(lost, today=TODAY)] == [
        ("text.lost", "subject.name"), ("text.lost", "record.residenceAddress")]
