"""Read a request of notices: ``{"notices": [DepartmentNotice JSON documents]}``.

The body as a whole must be that object (else :class:`NoticesMalformed`, 400) with at most
:data:`MAX_NOTICES` notices (else 413). Each notice is then judged on its own: a notice that
breaks the schema or a rule (``check_notice``) is :class:`Rejected` with its rule ids; the
others are version 2 :class:`DepartmentNotice` models.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from gateway.errors import BodyTooLarge, RequestRefused
from schema.codes import SchemaVersion
from schema.convert import convert
from schema.errors import DocumentError
from schema.issues import Issue, Severity
from schema.jsoncodec import from_json_object
from schema.jsonsafe import loads
from schema.models.v2 import DepartmentNotice
from schema.rules import check_notice

#: Notices one request may carry (``yipanqi import --submit`` sends 500 at a time).
MAX_NOTICES = 5000


class BodyMalformed(RequestRefused):
    """A JSON body that is not JSON: strictly read (duplicate keys, lone surrogates)."""

    code = "malformed"


class NoticesMalformed(BodyMalformed):
    """The body is not ``{"notices": [...]}``."""


@dataclass(frozen=True, slots=True)
class Rejected:
    """A notice refused: the schema or a rule says no."""

    notice_id: str | None
    issues: tuple[Issue, ...]

    @property
    def rules(self) -> list[str]:
        return sorted({issue.rule for issue in self.issues})


def decode_json(body: bytes, refused: type[BodyMalformed] = BodyMalformed) -> Any:
    """A request body as JSON, read as strictly as documents are (:func:`loads`); else
    ``refused``."""
    try:
        return loads(body)
    except DocumentError as exc:
        raise refused(f"the body is not JSON: {exc.message}") from None
    except RecursionError:
        raise refused("the body is not JSON: nested too deeply") from None
    except ValueError as exc:  # json's own errors say where (line, column)
        raise refused(f"the body is not JSON: {str(exc)[:200]}") from None


def read_body(body: bytes) -> list[Any]:
    """The notice objects of a request body."""
    decoded = decode_json(body, NoticesMalformed)
    if not isinstance(decoded, dict) or set(decoded) != {"notices"} \
            or not isinstance(decoded["notices"], list):
        raise NoticesMalformed('the body must be {"notices": [DepartmentNotice, …]}')
    found: list[Any] = decoded["notices"]
    if len(found) > MAX_NOTICES:
        raise BodyTooLarge(f"{len(found)} notices; at most {MAX_NOTICES} a request")
    return found


def _refused(obj: Any, issues: list[Issue]) -> Rejected:
    notice_id = obj.get("noticeId") if isinstance(obj, dict) else None
    return Rejected(notice_id if isinstance(notice_id, str) else None, tuple(issues))


def _schema_issue(message: str) -> Issue:
    return Issue("schema", Severity.ERROR, "", message, message)


def read_notice(obj: Any, today: dt.date | None = None) -> DepartmentNotice | Rejected:
    """One notice object: a version 2 model, or why it is refused."""
    try:
        document = from_json_object(obj)
    except DocumentError as exc:
        return _refused(obj, list(exc.issues) or [_schema_issue(exc.message)])
    except (RecursionError, ValueError) as exc:
        return _refused(obj, [_schema_issue(type(exc).__name__)])
    if type(document).__name__ != "DepartmentNotice":
        return _refused(obj, [_schema_issue(f"a {type(document).__name__} is not a notice")])
    if not isinstance(document, DepartmentNotice):
        document = convert(document, SchemaVersion.V2).document
    assert isinstance(document, DepartmentNotice)
    errors = [i for i in check_notice(document, today=today) if i.severity is Severity.ERROR]
    if errors:
        return _refused(obj, errors)
    return document
