"""child.before-parent, child.mother-age, child.order."""

import datetime as dt
from typing import Any

import pytest

from schema.rules import check_record

from ._build import MAN_ID, TODAY, VERSIONS, child, found, record

CHILD_RULES = ("child.before-parent", "child.mother-age", "child.order")
LATER = dt.date(2040, 1, 1)  # so that late births are not in the future
MAN: dict[str, Any] = {
    "idNumber": MAN_ID,
    "name": "李建国",
    "sex": "1",
    "birthDate": "1983-07-01",
    "marriageDate": "2008-10-01",
    "spouse": {"name": "王秀英"},
    "contraception": None,
}


def _children(
    version: str, *kids: dict[str, object], today: dt.date = TODAY, **changes: object
) -> list[tuple[str, str, str]]:
    issues = check_record(record(version, children=list(kids), **changes), today=today)
    return [f for f in found(issues) if f[0] in CHILD_RULES]


@pytest.mark.parametrize("version", VERSIONS)
def test_child_born_on_or_before_the_parent(version: str) -> None:
    # the mother's age is not judged for such a child
    assert _children(version, child("2009-06-01", 1), child("1985-03-12", 2)) == [
        ("child.before-parent", "error", "children[1].birthDate"),
        ("child.order", "error", "children[1].birthOrder"),
    ]
    assert _children(version, child("1985-03-13", 1)) == [
        ("child.mother-age", "warning", "children[0].birthDate"),
    ]


@pytest.mark.parametrize("version", VERSIONS)
def test_child_before_a_father(version: str) -> None:
    assert _children(version, child("1983-06-30", 1), **MAN) == [
        ("child.before-parent", "error", "children[0].birthDate"),
    ]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(
    ("birth", "flagged"),
    [("2000-03-11", True), ("2000-03-12", False), ("2034-03-11", False), ("2035-03-12", True)],
)
def test_mother_aged_15_to_49(version: str, birth: str, flagged: bool) -> None:
    expected = [("child.mother-age", "warning", "children[0].birthDate")] if flagged else []
    assert _children(version, child(birth, 1), today=LATER) == expected


@pytest.mark.parametrize("version", VERSIONS)
def test_mother_age_not_judged_on_a_mans_record(version: str) -> None:
    assert _children(version, child("1997-01-01", 1), **MAN) == []


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize(
    ("orders", "path"),
    [
        ((1, 1), "children[1].birthOrder"),
        ((1, 3), "children[1].birthOrder"),
        ((2, 3), "children[1].birthOrder"),
        ((1, 2, 4), "children[2].birthOrder"),
    ],
)
def test_orders_run_one_to_n(version: str, orders: tuple[int, ...], path: str) -> None:
    kids = [child(f"200{i}-01-01", order) for i, order in enumerate(orders, start=5)]
    assert _children(version, *kids) == [("child.order", "error", path)]


@pytest.mark.parametrize("version", VERSIONS)
def test_orders_follow_birth_dates(version: str) -> None:
    assert _children(version, child("2009-06-01", 2), child("2007-01-01", 1)) == []
    assert _children(version, child("2009-06-01", 1), child("2007-01-01", 2)) == [
        ("child.order", "error", "children[1].birthOrder"),
    ]


@pytest.mark.parametrize("version", VERSIONS)
def test_twins_share_a_date_with_consecutive_orders(version: str) -> None:
    twins = [child("2009-06-01", 2, sex="2"), child("2009-06-01", 1), child("2010-01-05", 3)]
    assert _children(version, *twins) == []
    assert _children(version, child("2009-06-01", 1), child("2009-06-01", 1, sex="2")) == [
        ("child.order", "error", "children[1].birthOrder"),
    ]
