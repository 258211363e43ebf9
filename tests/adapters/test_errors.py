"""The adapters' errors hang off the project's error tree, each with a stable code."""

from __future__ import annotations

from adapters import AdapterError, AdapterNotFound, ExportUnreadable, RowRefused
from schema.errors import YipanqiError


def test_tree_and_builtins() -> None:
    assert issubclass(AdapterError, YipanqiError)
    assert issubclass(AdapterNotFound, LookupError)
    assert issubclass(ExportUnreadable, ValueError) and issubclass(RowRefused, ValueError)
    assert (AdapterNotFound("x").code, ExportUnreadable("file.empty", "空", "empty").code) == (
        "adapter-not-found", "export-unreadable")


def test_a_refused_row_carries_its_rule_as_code() -> None:
    refused = RowRefused("row.date", "出生日期", "日期错误", "bad date")
    assert (refused.code, refused.column, refused.message) == ("row.date", "出生日期",
                                                               "bad date")
