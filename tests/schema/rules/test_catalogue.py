import dataclasses

import pytest

from schema.issues import Severity
from schema.rules import RULES, Rule
from schema.rules._catalogue import issue

DESIGN_TABLE = {
    "schema": "error",
    "id.format": "error",
    "id.checksum": "warning",
    "id.birthdate": "error",
    "id.sex": "error",
    "region.unknown": "error",
    "marriage.date-missing": "error",
    "marriage.unexpected": "error",
    "marriage.age": "warning",
    "child.before-parent": "error",
    "child.mother-age": "warning",
    "child.order": "error",
    "contraception.sex": "error",
    "certificate.dates": "error",
    "employer.code": "error",
    "dates.future": "error",
    "dates.order": "error",
    "report.fields": "error",
    "batch.count": "error",
    # Beyond the table of DESIGN §3:
    "text.lost": "warning",
}


def test_every_rule_of_the_design_with_its_severity() -> None:
    assert {rule_id: rule.severity.value for rule_id, rule in RULES.items()} == DESIGN_TABLE


def test_rules_carry_their_id_and_titles() -> None:
    for rule_id, rule in RULES.items():
        assert isinstance(rule, Rule)
        assert rule.id == rule_id
        assert rule.title_zh and rule.title_en


def test_catalogue_is_read_only() -> None:
    with pytest.raises(TypeError):
        RULES["new"] = Rule("new", Severity.ERROR, "新", "new")  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        RULES["schema"].severity = Severity.WARNING  # type: ignore[misc]


def test_issue_takes_the_rules_severity() -> None:
    found = issue("id.checksum", "idNumber", "校验码错误", "wrong check character")
    assert (found.rule, found.severity, found.path, found.line) == (
        "id.checksum",
        Severity.WARNING,
        "idNumber",
        None,
    )
