"""``contraception.sex``: female methods (02–05) stand only on a woman's record.

Method 01 (male sterilisation) is the couple's measure and may stand on either record.
A record whose sex is 0 or 9 cannot carry a female method either: it does not say "woman".
"""

from __future__ import annotations

from schema.codes import Sex
from schema.issues import Issue
from schema.rules._catalogue import issue
from schema.rules._frame import Frame, Record


def check_contraception(record: Record, frame: Frame, out: list[Issue]) -> None:
    """Check the contraception method against the sex."""
    measure = record.contraception
    if measure is None or record.sex is Sex.FEMALE or not measure.method.is_female_method:
        return
    method, sex = measure.method, record.sex
    out.append(
        issue(
            "contraception.sex",
            frame.prefix + "contraception.method",
            f"避孕节育措施 {method.value} {method.label_zh} 只适用于女性，"
            f"本人性别为 {sex.value} {sex.label_zh}",
            f"contraception method {method.value} ({method.label_en}) is a female method, "
            f"but sex is {sex.value} ({sex.label_en})",
        )
    )
