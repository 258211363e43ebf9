"""The logic rules (逻辑校验) of the record standard and the completeness (完整度) of a record.

Rule ids and severities are those of DESIGN §3, and one more, ``text.lost`` (a warning); they
never change. :data:`RULES` lists them all.
The checks take a model that already passed the ``schema`` rule and return located
:class:`~schema.issues.Issue` findings (``line`` left for the caller)::

    check_record(record, today=date.today())   # a bare record, judged on today
    check_report(report)                       # paths start "record." for the record
    check_batch_count(header.report_count, len(reports))
    check_notice(notice, today=date.today())   # a department notice
    completeness(record)                       # 0.0..1.0
"""

from schema.rules._catalogue import RULES, Rule
from schema.rules._completeness import completeness
from schema.rules._notice import check_notice
from schema.rules._record import check_record
from schema.rules._report import check_batch_count, check_report

__all__ = [
    "RULES",
    "Rule",
    "check_batch_count",
    "check_notice",
    "check_record",
    "check_report",
    "completeness",
]
