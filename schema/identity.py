"""Citizen identity numbers (GB 11643) and organisation codes (GB 11714, GB 32100)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from stdnum.cn import uscc

from schema.regions import region_valid_since

_ID_CHECK = "10X98765432"
_ID_LAST = frozenset("0123456789X")
_USCC_ALPHABET = frozenset("0123456789ABCDEFGHJKLMNPQRTUWXY")
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def id_check_character(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits."""
    # The weights are 2**(17-i) mod 11, so the weighted sum is the number read in base 2;
    # reading it in base 13 (≡ 2 mod 11) lets int() do the sum in C, as python-stdnum does.
    return _ID_CHECK[int(first17, 13) * 2 % 11]


def id_birth_date(number: str) -> dt.date | None:
    """The date segment of an 18-character number, or None when it is no real date."""
    return _segment_date(number[6:14])


@lru_cache(maxsize=1 << 15)  # birth dates repeat across millions of numbers; bounded
def _segment_date(segment: str) -> dt.date | None:
    try:
        return dt.date(int(segment[:4]), int(segment[4:6]), int(segment[6:8]))
    except ValueError:
        return None


def id_format_ok(number: str) -> bool:
    """18 characters, the first 17 digits, the last a digit or X, a real date segment."""
    return well_formed_birth_date(number) is not None


def well_formed_birth_date(number: str) -> dt.date | None:
    """The date segment of a number that passes :func:`id_format_ok`; None for any other."""
    if len(number) != 18 or number[17] not in _ID_LAST:
        return None
    head = number[:17]
    if not (head.isascii() and head.isdigit()):
        return None
    return _segment_date(number[6:14])


def id_checksum_ok(number: str) -> bool:
    return id_check_character(number[:17]) == number[17]


def id_sex_digit_ok(number: str, sex: str) -> bool:
    """The 17th digit is odd for men (1) and even for women (2); other codes pass."""
    odd = int(number[16]) % 2 == 1
    if sex == "1":
        return odd
    if sex == "2":
        return not odd
    return True


def id_region_ok(number: str) -> bool:
    """The address code existed at some time from the birth year on.

    Numbers were often assigned years after birth, so the code need not have existed
    in the birth year itself (stricter than ``stdnum.cn.ric.validate``).
    """
    birth = id_birth_date(number)
    return birth is not None and region_valid_since(number[:6], birth.year)


def upgrade_id15(number: str) -> str:
    """Turn a 15-digit legacy number into its 18-character form (century 19)."""
    if len(number) != 15 or not number.isdigit():
        raise ValueError("not a 15-digit legacy ID number")
    first17 = number[:6] + "19" + number[6:]
    return first17 + id_check_character(first17)


def org_code_ok(code: str) -> bool:
    """GB 11714 organisation code ``XXXXXXXX-X`` with the right check character."""
    if len(code) != 10 or code[8] != "-":
        return False
    body, check = code[:8], code[9]
    return all(c in _ORG_ALPHABET for c in body) and check == org_code_check_character(body)


def org_code_check_character(body: str) -> str:
    """The check character for the eight-character body of an organisation code."""
    remainder = 11 - sum(_ORG_ALPHABET.index(c) * w for c, w in zip(body, _ORG_WEIGHTS,
                                                                    strict=True)) % 11
    return "X" if remainder == 10 else "0" if remainder == 11 else str(remainder)


def credit_code_ok(code: str) -> bool:
    """GB 32100 unified social credit code with the right check character."""
    return (
        len(code) == 18
        and code[:8].isdigit()
        and all(c in _USCC_ALPHABET for c in code[8:])
        and uscc.calc_check_digit(code[:17]) == code[17]
    )


def org_code_from_credit_code(code: str) -> str:
    """Characters 9–17 of a credit code are the organisation code (``XXXXXXXX-X``)."""
    return f"{code[8:16]}-{code[16]}"
