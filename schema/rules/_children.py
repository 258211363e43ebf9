"""Child rules: ``child.before-parent``, ``child.mother-age``, ``child.order``."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from schema.codes import Sex
from schema.issues import Issue
from schema.models.v1 import Child
from schema.rules._catalogue import issue
from schema.rules._frame import Frame, Record, age_on

_YOUNGEST_MOTHER = 15
_OLDEST_MOTHER = 49


def check_children(record: Record, frame: Frame, out: list[Issue]) -> None:
    """Check each child's date against the person, and the birth orders together."""
    children = record.children
    if not children:
        return
    birth = record.birth_date
    mother = record.sex is Sex.FEMALE
    for index, child in enumerate(children):
        if child.birth_date <= birth:
            out.append(
                issue(
                    "child.before-parent",
                    f"{frame.prefix}children[{index}].birthDate",
                    f"子女出生日期 {child.birth_date} 不晚于本人出生日期 {birth}",
                    f"the child's birthDate {child.birth_date} is not after the person's {birth}",
                )
            )
        elif mother:
            _check_mother_age(record, child, index, frame, out)
    _check_order(children, frame, out)


def _check_mother_age(
    record: Record, child: Child, index: int, frame: Frame, out: list[Issue]
) -> None:
    age = age_on(record.birth_date, child.birth_date)
    if not _YOUNGEST_MOTHER <= age <= _OLDEST_MOTHER:
        out.append(
            issue(
                "child.mother-age",
                f"{frame.prefix}children[{index}].birthDate",
                f"生育该子女时母亲 {age} 周岁，不在 15–49 周岁之间",
                f"the mother was {age} at this child's birth, outside 15-49",
            )
        )


def _check_order(children: Sequence[Child], frame: Frame, out: list[Issue]) -> None:
    """Orders are a permutation of 1..n, and birth dates never fall as the order rises."""
    count = len(children)
    slots = [-1] * count  # slots[order - 1] is the index of the child of that order
    for index, child in enumerate(children):
        order = child.birth_order
        if order > count or slots[order - 1] >= 0:
            out.append(
                issue(
                    "child.order",
                    f"{frame.prefix}children[{index}].birthOrder",
                    f"孩次 {order} 重复或不连续：{count} 个子女的孩次应为 1 至 {count} 各一次",
                    f"birthOrder {order} repeats or leaves a gap: {count} children take "
                    f"1 to {count} once each",
                )
            )
            return
        slots[order - 1] = index
    _check_order_dates(children, slots, frame, out)


def _check_order_dates(
    children: Sequence[Child], slots: list[int], frame: Frame, out: list[Issue]
) -> None:
    """Twins share a date; a later order never has an earlier date."""
    for previous, index in itertools.pairwise(slots):
        before, child = children[previous], children[index]
        if child.birth_date < before.birth_date:
            out.append(
                issue(
                    "child.order",
                    f"{frame.prefix}children[{index}].birthOrder",
                    f"孩次 {child.birth_order} 的出生日期 {child.birth_date} 早于孩次 "
                    f"{before.birth_order} 的 {before.birth_date}",
                    f"birthOrder {child.birth_order} was born {child.birth_date}, before "
                    f"birthOrder {before.birth_order} ({before.birth_date})",
                )
            )
            return
