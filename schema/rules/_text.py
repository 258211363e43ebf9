"""``text.lost``: no name or address holds U+FFFD, the replacement character.

A decoder puts U+FFFD where it met bytes it could not read, most often GB18030 text read as
UTF-8. The characters it stands for are gone; only the source can restore them. The schema
lets the character through (it is a character like any other), so the rule flags it as a
warning: the document stays valid, and the quality figures count it.
"""

from __future__ import annotations

from typing import Any

from schema.issues import Issue
from schema.rules._catalogue import issue
from schema.rules._frame import Frame

LOST = "\ufffd"
_SHOWN = 40


def check_text(record: Any, frame: Frame, out: list[Issue]) -> None:
    """Check the person's, the spouse's, the children's and the employer's texts.

    ``record`` is a record or a notice's partial record: they name these fields alike.
    """
    prefix = frame.prefix
    name, hukou, residence = record.name, record.hukou_address, record.residence_address
    if name is not None and LOST in name:
        out.append(lost_issue(name, prefix + "name"))
    if hukou is not None and LOST in hukou:
        out.append(lost_issue(hukou, prefix + "hukouAddress"))
    if residence is not None and LOST in residence:
        out.append(lost_issue(residence, prefix + "residenceAddress"))
    spouse = record.spouse
    if spouse is not None and spouse.name is not None and LOST in spouse.name:
        out.append(lost_issue(spouse.name, prefix + "spouse.name"))
    for index, child in enumerate(record.children or ()):
        if child.name is not None and LOST in child.name:
            out.append(lost_issue(child.name, f"{prefix}children[{index}].name"))
    employer = record.employer
    if employer is not None and LOST in employer.name:
        out.append(lost_issue(employer.name, prefix + "employer.name"))


def lost_issue(value: str, path: str) -> Issue:
    shown = value if len(value) <= _SHOWN else value[:_SHOWN] + "…"
    return issue(
        "text.lost", path,
        f"“{shown}”含替换字符 {LOST}：原有的字符在编码转换时已丢失，请按原始记录改正",
        f"{shown!r} holds the replacement character U+FFFD: characters were lost in an "
        "encoding conversion; correct it from the source",
    )
