"""Reading a request of notices: the body's shape, each notice judged on its own, junk."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gateway.docking import MAX_NOTICES, NoticesMalformed, Rejected, read_body, read_notice
from gateway.errors import BodyTooLarge
from schema.models import v2
from tests.gateway.docking._people import ADAPTERS, expected_notices, notice


@pytest.mark.parametrize("adapter", ADAPTERS)
def test_every_sample_notice_is_read(adapter: str) -> None:
    for document in expected_notices(adapter):
        made = read_notice(document)
        assert isinstance(made, v2.DepartmentNotice), made
        assert made.notice_id == document["noticeId"]


@pytest.mark.parametrize("body", [b"", b"{", b"[]", b'{"notices": 1}', b'{"other": []}',
                                  b'{"notices": [], "x": 1}', b'{"a": 1, "a": 2}',
                                  b'{"notices": [NaN]}', "\ud800".encode("utf-8", "surrogatepass"),
                                  b"[" * 100000])
def test_a_body_that_is_not_a_request_is_malformed(body: bytes) -> None:
    with pytest.raises(NoticesMalformed):
        read_body(body)


@pytest.mark.parametrize(("body", "said"), [
    (b"\xff\xfe{", "JSON must be UTF-8"), (b"{", "line 1 column 2"),
    (b"[" * 100000, "nested too deeply"), (b'{"notices": [1,]}', "line 1 column 16"),
    (b'{"a": 1, "a": 2}', "duplicate")])
def test_a_body_that_is_not_json_says_why(body: bytes, said: str) -> None:
    with pytest.raises(NoticesMalformed) as caught:
        read_body(body)
    assert caught.value.message.startswith("the body is not JSON: ")
    assert said in caught.value.message


def test_too_many_notices_is_too_large() -> None:
    with pytest.raises(BodyTooLarge):
        read_body(json.dumps({"notices": [0] * (MAX_NOTICES + 1)}).encode())


def test_a_change_report_is_not_a_notice() -> None:
    made = read_notice({"type": "ChangeReport", "schemaVersion": "2"})
    assert isinstance(made, Rejected) and made.rules == ["schema"]


def test_a_notice_breaking_a_rule_is_rejected_with_its_rule() -> None:
    made = read_notice(notice(sex="1"))
    assert isinstance(made, Rejected) and made.rules == ["id.sex"]
    assert made.notice_id is not None and made.notice_id.startswith("RS-")


json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=20),
                           lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=12), inner, max_size=4),
                           max_leaves=20)


@given(json_values)
def test_junk_is_rejected_never_raised(junk: object) -> None:
    assert isinstance(read_notice(junk), Rejected)


@given(st.dictionaries(st.sampled_from(["noticeId", "department", "region", "changeType",
                                        "effectiveDate", "source", "subject", "record"]),
                       json_values, max_size=8))
def test_a_notice_with_junk_fields_is_rejected_never_raised(fields: dict[str, object]) -> None:
    made = read_notice({"type": "DepartmentNotice", "schemaVersion": "2", **fields})
    assert isinstance(made, Rejected)
