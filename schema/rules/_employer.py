"""``employer.code``: the employer's organisation code and unified social credit code.

orgCode (GB 11714) must have the right check character. creditCode (GB 32100, version 2)
must have the right check character, and the organisation code it embeds (characters 9–17)
must be a valid one too; when both codes are given, they must name the same organisation.
"""

from __future__ import annotations

from functools import lru_cache

from schema.identity import credit_code_ok, org_code_from_credit_code, org_code_ok
from schema.issues import Issue
from schema.models import v2
from schema.rules._catalogue import issue
from schema.rules._frame import Frame, Record

# Employers repeat across records far more than people do; checking a credit code is slow.
_org_ok = lru_cache(maxsize=1 << 14)(org_code_ok)
_credit_ok = lru_cache(maxsize=1 << 14)(credit_code_ok)


def check_employer(record: Record, frame: Frame, out: list[Issue]) -> None:
    """Check the codes of the employer, when the record has one."""
    employer = record.employer
    if employer is None:
        return
    org = employer.org_code
    org_valid = org is not None and _org_ok(org)
    if org is not None and not org_valid:
        out.append(
            issue(
                "employer.code",
                frame.prefix + "employer.orgCode",
                f"组织机构代码 {org} 校验码错误",
                f"organisation code {org} has a wrong check character",
            )
        )
    if isinstance(employer, v2.Employer) and employer.credit_code is not None:
        embedded = _check_credit_code(employer.credit_code, frame, out)
        if org_valid and embedded is not None and embedded != org:
            out.append(
                issue(
                    "employer.code",
                    frame.prefix + "employer.orgCode",
                    f"组织机构代码 {org} 与统一社会信用代码中的 {embedded} 不一致",
                    f"organisation code {org} differs from {embedded} in the credit code",
                )
            )


def _check_credit_code(code: str, frame: Frame, out: list[Issue]) -> str | None:
    """The organisation code embedded in a valid credit code, else None (and an issue)."""
    path = frame.prefix + "employer.creditCode"
    if not _credit_ok(code):
        out.append(
            issue(
                "employer.code",
                path,
                f"统一社会信用代码 {code} 校验码错误",
                f"unified social credit code {code} has a wrong check character",
            )
        )
        return None
    embedded = org_code_from_credit_code(code)
    if not _org_ok(embedded):
        out.append(
            issue(
                "employer.code",
                path,
                f"统一社会信用代码 {code} 中的组织机构代码 {embedded} 校验码错误",
                f"the organisation code {embedded} in credit code {code} has a wrong "
                "check character",
            )
        )
        return None
    return embedded
