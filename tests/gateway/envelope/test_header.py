"""The envelope header: validation and the wire round trip."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gateway.envelope import EnvelopeHeader, check_node_id
from gateway.errors import EnvelopeMalformed
from schema.codes import Department, SchemaVersion
from tests.gateway._support import header

node_ids = st.builds(lambda region, dept: f"{region:06d}-{dept.value}",
                     st.integers(0, 999_999), st.sampled_from(list(Department)))
ids = st.from_regex(r"[A-Za-z0-9._:-]{1,40}", fullmatch=True)
moments = st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 1, 1),
                       timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=8))]))


@given(st.builds(EnvelopeHeader, message_id=ids, message_type=st.sampled_from(
    ["ChangeReport", "ChangeReportBatch", "PersonRecord"]), sender=node_ids, recipient=node_ids,
    created_at=moments, schema_version=st.sampled_from(list(SchemaVersion)),
    conversation_id=st.none() | ids, ref_to_message_id=st.none() | ids))
def test_wire_round_trip(value: EnvelopeHeader):
    assert EnvelopeHeader.from_wire(value.to_wire()) == value


def test_wire_order_and_optional_fields():
    assert list(header().to_wire()) == ["messageId", "messageType", "sender", "recipient",
                                        "createdAt", "schemaVersion"]
    assert "refToMessageId" in header(ref_to_message_id="M-0").to_wire()


@pytest.mark.parametrize("node", ["410100-RKJS", "410000-RKJS", "410100-GA", "411600-FG"])
def test_node_ids(node):
    assert check_node_id(node) == node


@pytest.mark.parametrize("node", ["41010-RKJS", "410100-XX", "410100RKJS", "410100-rkjs", ""])
def test_bad_node_ids(node):
    with pytest.raises(EnvelopeMalformed):
        check_node_id(node)


@pytest.mark.parametrize("fields", [
    {"messageId": "M"},
    {**header().to_wire(), "extra": "x"},
    {**header().to_wire(), "createdAt": "2010-04-07T09:30:00"},  # no offset
    {**header().to_wire(), "createdAt": "2010-04-07"},
    {**header().to_wire(), "createdAt": "20100407T093000+0800"},  # ISO basic, not RFC 3339
    {**header().to_wire(), "createdAt": "2010-04-07T09:30+08:00"},  # no seconds
    {**header().to_wire(), "createdAt": "2010-04-07 09:30:00+08:00"},
    {**header().to_wire(), "schemaVersion": "3"},
    {**header().to_wire(), "messageId": "has space"},
    {**header().to_wire(), "sender": 410100},
])
def test_bad_headers_are_malformed(fields):
    with pytest.raises(EnvelopeMalformed):
        EnvelopeHeader.from_wire(fields)


def test_new_fills_id_and_time():
    made = EnvelopeHeader.new("ChangeReport", "410100-RKJS", "410000-RKJS", SchemaVersion.V2)
    assert made.created_at.tzinfo is not None and len(made.message_id) == 36
