"""Conversion between versions 1 and 2 of the standard (DESIGN §3).

Up (1 → 2) is lossless. Down (2 → 1) derives a missing orgCode from the credit code
(its characters 9–17) and lists every field version 1 cannot hold — creditCode,
birthRegistration, the BIRTH_REGISTRATION change type — as lost; it fails with
:class:`ConversionLoss` unless the caller allows the loss.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from schema.codes import SchemaVersion
from schema.documents import document_type, document_type_of
from schema.errors import ConversionLoss, DocumentInvalid
from schema.identity import org_code_from_credit_code
from schema.models._base import StandardModel
from schema.schemacheck import validate_model

_LEGACY_CHANGE_TYPE = "CORRECTION"
_REMARKS_MAX = 500


@dataclass(frozen=True, slots=True)
class Conversion:
    """A converted document and the paths of what it could not carry."""

    document: StandardModel
    lost: tuple[str, ...]


def _down_record(record: dict[str, Any], path: str, lost: list[str]) -> None:
    if record.pop("birthRegistration", None) is not None:
        lost.append(f"{path}.birthRegistration")
    employer = record.get("employer")
    if employer and "creditCode" in employer:
        credit = employer.pop("creditCode")
        employer.setdefault("orgCode", org_code_from_credit_code(credit))
        lost.append(f"{path}.employer.creditCode")


def _down_report(report: dict[str, Any], path: str, lost: list[str]) -> None:
    if report.get("changeType") == "BIRTH_REGISTRATION":
        lost.append(f"{path}.changeType")
        report["changeType"] = _LEGACY_CHANGE_TYPE
        note = "原变更类型 BIRTH_REGISTRATION"
        remarks = report.get("remarks") or ""
        # A note on the old type, when the 500 characters of remarks leave room for it;
        # the remarks themselves are never cut.
        if not remarks:
            report["remarks"] = note
        elif len(remarks) + 1 + len(note) <= _REMARKS_MAX:
            report["remarks"] = f"{remarks}；{note}"
    fields = report.get("changedFields")
    if fields and "birthRegistration" in fields:
        lost.append(f"{path}.changedFields")
        report["changedFields"] = [f for f in fields if f != "birthRegistration"] or None
    _down_record(report["record"], f"{path}.record" if path else "record", lost)


def _down(name: str, data: dict[str, Any]) -> list[str]:
    lost: list[str] = []
    if name == "PersonRecord":
        _down_record(data, "", lost)
        lost[:] = [p.lstrip(".") for p in lost]
    elif name in ("ChangeReport", "DepartmentNotice"):  # a notice: changeType and record
        _down_report(data, "", lost)
        lost[:] = [p.lstrip(".") for p in lost]
    else:
        for index, report in enumerate(data.get("reports", [])):
            _down_report(report, f"reports[{index}]", lost)
    return lost


def convert(document: StandardModel, to: SchemaVersion | str, *,
            allow_loss: bool = False) -> Conversion:
    """``document`` in version ``to``; :class:`ConversionLoss` if data would be dropped."""
    source = document_type_of(document)
    target = document_type(source.name, to)
    if target.version is source.version:
        return Conversion(document, ())
    data = document.model_dump(mode="json", exclude_none=True)
    lost = _down(source.name, data) if target.version is SchemaVersion.V1 else []
    if lost and not allow_loss:
        raise ConversionLoss(lost)
    converted, issues = validate_model(target.model, data)
    if converted is None:
        raise DocumentInvalid(f"cannot express the {source.name} in version "
                              f"{target.version.value}", issues)
    return Conversion(converted, tuple(lost))
