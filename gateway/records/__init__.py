"""Records (个案信息) with versions and full history; reports applied in order."""

from gateway.records._apply import Applied, Candidate, apply_reports
from gateway.records._read import history_view, record_view

__all__ = ["Applied", "Candidate", "apply_reports", "history_view", "record_view"]
