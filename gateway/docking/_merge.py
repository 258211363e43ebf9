"""A record after a notice: the current record merged with what the department knows.

Records travel as their JSON form (wire names). The notice's known fields replace the
record's, except:

- identity (idNumber, name, sex, birthDate) is never changed by a department's notice;
- children are merged: a child already on the record (same ID number, or same birth date
  and sex with the same name as matching folds it, or no name on one side; unnamed, the
  same birth order too, else they are twins) is completed, a new one appended; a
  CORRECTION gives a child known by its ID number the notice's name; birth orders are
  then numbered 1..n in birth-date order (rule ``child.order``), so a newborn gets the
  next one;
- marital status changes only by a MARITAL_CHANGE (the civil-affairs register); another
  department's marital status only helps open a record;
- the spouse is set by a MARITAL_CHANGE, or by another notice when the record has none
  and is not widowed (30) or divorced (40);
  a marital status without a spouse (10 unmarried, 30 widowed, 40 divorced) drops it,
  and 10 also drops the marriage date;
- an INFLOW after an earlier departure clears outflowDate (the person came back).
"""

from __future__ import annotations

from typing import Any, get_args

from gateway.docking._names import name_key
from schema.models.v2 import DepartmentNotice, RecordField

#: Fields a department's notice never changes on a record it matched.
IDENTITY = ("idNumber", "name", "sex", "birthDate")
#: Every field a PersonRecord must have (DESIGN §3): what a notice must carry to open one.
REQUIRED = ("idNumber", "name", "sex", "birthDate", "hukouRegion", "residenceRegion",
            "residenceAddress", "maritalStatus")
_UNPARTNERED = {"10", "30", "40"}
#: Statuses after a marriage ended: a later notice's other parent is no spouse of theirs.
_NO_SPOUSE = {"30", "40"}
_FIELD_ORDER: tuple[str, ...] = get_args(RecordField)


def notice_fields(notice: DepartmentNotice) -> dict[str, Any]:
    """The record fields the notice knows, in wire form."""
    fields: dict[str, Any] = notice.record.model_dump(mode="json", exclude_none=True)
    return fields


def _same_child(known: dict[str, Any], new: dict[str, Any]) -> bool:
    if known.get("idNumber") and new.get("idNumber"):
        return bool(known["idNumber"] == new["idNumber"])
    if known["birthDate"] != new["birthDate"] or known["sex"] != new["sex"]:
        return False
    if known.get("name") and new.get("name"):
        return name_key(known["name"]) == name_key(new["name"])
    if not known.get("name") and not new.get("name") and "birthOrder" in new:
        # Unnamed, born the same day, of one sex: twins when their orders differ (two
        # birth certificates, 孩次 1 and 2), rather than one child told twice.
        return bool(known.get("birthOrder") == new["birthOrder"])
    return True


def merge_children(known: list[dict[str, Any]], new: list[dict[str, Any]], *,
                   correct: bool = False) -> list[dict[str, Any]]:
    """The record's children with the notice's, numbered 1..n in birth-date order.

    A child of the record is matched by one child of the notice at most, and the notice's
    children never by each other (twins stay two). With ``correct`` (a CORRECTION), a child
    known by its ID number takes the notice's name.
    """
    children = [dict(child) for child in known]
    unmatched = list(range(len(children)))
    for child in new:
        index = next((i for i in unmatched if _same_child(children[i], child)), None)
        if index is None:
            children.append(dict(child))
            continue
        unmatched.remove(index)
        match = children[index]
        for name in ("name", "idNumber"):
            if name in child and name not in match:
                match[name] = child[name]
        if correct and child.get("name") and child.get("idNumber") == match.get("idNumber"):
            match["name"] = child["name"]
    children.sort(key=lambda c: (c["birthDate"], c.get("birthOrder", 0)))
    for order, child in enumerate(children, start=1):
        child["birthOrder"] = order
    return children


def _marital(record: dict[str, Any], fields: dict[str, Any], marital_change: bool) -> None:
    spouse = fields.pop("spouse", None)
    # Another department names the other parent, not a spouse: it is taken for the record
    # without one, unless the register says widowed or divorced (no spouse to have).
    if spouse is not None and (marital_change or (
            "spouse" not in record and record.get("maritalStatus") not in _NO_SPOUSE)):
        record["spouse"] = spouse
    status = fields.get("maritalStatus", record.get("maritalStatus"))
    if marital_change and status in _UNPARTNERED and spouse is None:
        record.pop("spouse", None)
    if status == "10":
        record.pop("marriageDate", None)


def merge_notice(record: dict[str, Any], notice: DepartmentNotice) -> dict[str, Any]:
    """The full record (wire form) after ``notice``, from the current ``record``."""
    merged = {name: value for name, value in record.items()}
    fields = {name: value for name, value in notice_fields(notice).items()
              if name not in IDENTITY}
    change = str(notice.change_type)
    if change != "MARITAL_CHANGE":
        # Civil affairs keeps the marriage register; another department's word on marital
        # status serves only to open a record.
        fields.pop("maritalStatus", None)
    children = fields.pop("children", None)
    if children:
        merged["children"] = merge_children(record.get("children", []), children,
                                            correct=change == "CORRECTION")
    _marital(merged, fields, change == "MARITAL_CHANGE")
    merged.update(fields)
    if change == "INFLOW" and "outflowDate" not in fields and "inflowDate" in fields:
        merged.pop("outflowDate", None)
    return merged


def opening_record(notice: DepartmentNotice) -> dict[str, Any] | None:
    """The record a full registration opens (wire form), or None when a field is missing."""
    record = {"idNumber": notice.subject.id_number, "name": notice.subject.name,
              **{k: v for k, v in notice_fields(notice).items()
                 if k not in ("idNumber", "name")}}
    if any(name not in record for name in REQUIRED):
        return None
    if "children" in record:
        record["children"] = merge_children([], record["children"])
    return record


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """The record fields whose value differs, in the order the standard lists them."""
    return [name for name in _FIELD_ORDER if before.get(name) != after.get(name)]
