"""The historical GB/T 2260 region table, read from python-stdnum's ``cn/loc.dat``.

Each six-digit code maps to the year ranges in which it was in force. A range
written ``[1983-2001]`` in the data is inclusive at both ends; a missing bound is open.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

_RANGE = re.compile(r"^\[(\d*)-(\d*)\](.*)$")


@dataclass(frozen=True, slots=True)
class RegionPeriod:
    name: str
    first_year: int | None
    last_year: int | None

    def covers(self, year: int) -> bool:
        return (self.first_year is None or year >= self.first_year) and (
            self.last_year is None or year <= self.last_year
        )


def _periods(value: str) -> tuple[RegionPeriod, ...]:
    periods = []
    for part in value.split(","):
        match = _RANGE.match(part)
        if match:
            first, last, name = match.groups()
            periods.append(RegionPeriod(name, int(first) if first else None,
                                        int(last) if last else None))
        else:
            periods.append(RegionPeriod(part, None, None))
    return tuple(periods)


@cache
def region_table() -> dict[str, tuple[RegionPeriod, ...]]:
    """Every code ever in the table, with its periods of validity."""
    text = resources.files("stdnum.cn").joinpath("loc.dat").read_text(encoding="utf-8")
    table: dict[str, tuple[RegionPeriod, ...]] = {}
    province = ""
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, _, attr = line.strip().partition(" ")
        value = attr.partition("=")[2].strip('"')
        if line[0] != " ":
            province = key
            table[key + "0000"] = _periods(value)
        else:
            table[province + key] = _periods(value)
    return table


def region_exists(code: str) -> bool:
    """The code stands in the table for some year."""
    return code in region_table()


def region_valid_in(code: str, year: int) -> bool:
    """The code was in force in ``year``."""
    periods = region_table().get(code)
    return periods is not None and any(p.covers(year) for p in periods)


def region_valid_since(code: str, year: int) -> bool:
    """The code was in force at some time from ``year`` on."""
    periods = region_table().get(code)
    return periods is not None and any(
        p.last_year is None or p.last_year >= year for p in periods
    )


def region_name(code: str, year: int | None = None) -> str | None:
    """The name of the code, in ``year`` when given."""
    for period in region_table().get(code, ()):
        if year is None or period.covers(year):
            return period.name
    return None
