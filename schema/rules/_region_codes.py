"""``region.unknown`` for the region fields of a record.

hukouRegion and residenceRegion must be in force in the year the document describes; the
certificate's issuingRegion and birth registration's registeringRegion need only stand in the
historical table. The ID number's address code is judged in :mod:`._identity`.
"""

from __future__ import annotations

from functools import lru_cache

from schema.issues import Issue
from schema.models import v2
from schema.regions import region_exists, region_valid_in
from schema.rules._catalogue import issue
from schema.rules._frame import Frame, Record

# (code, year) pairs are few; the table lookup is not free.
_in_force = lru_cache(maxsize=1 << 16)(region_valid_in)


def check_regions(record: Record, frame: Frame, out: list[Issue]) -> None:
    """Check every region code of the record."""
    prefix = frame.prefix
    if not _in_force(record.hukou_region, frame.year):
        out.append(_not_in_force(record.hukou_region, frame.year, prefix + "hukouRegion"))
    if not _in_force(record.residence_region, frame.year):
        out.append(_not_in_force(record.residence_region, frame.year, prefix + "residenceRegion"))
    certificate = record.certificate
    if certificate is not None:
        check_region_exists(certificate.issuing_region, prefix + "certificate.issuingRegion", out)
    if isinstance(record, v2.PersonRecord) and record.birth_registration is not None:
        check_region_exists(
            record.birth_registration.registering_region,
            prefix + "birthRegistration.registeringRegion",
            out,
        )


def check_region_exists(code: str, path: str, out: list[Issue]) -> None:
    """The code stands in the historical GB/T 2260 table."""
    if not region_exists(code):
        out.append(_unknown(code, path))


def _not_in_force(code: str, year: int, path: str) -> Issue:
    if not region_exists(code):
        return _unknown(code, path)
    return issue(
        "region.unknown",
        path,
        f"行政区划代码 {code} 在 {year} 年不在使用中",
        f"region code {code} was not in force in {year}",
    )


def _unknown(code: str, path: str) -> Issue:
    return issue(
        "region.unknown",
        path,
        f"行政区划代码 {code} 不在 GB/T 2260 历史代码表中",
        f"region code {code} is not in the historical GB/T 2260 table",
    )
