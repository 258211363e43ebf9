"""Group commit: receipts are signed after the commit and saved with the next group.

Signing is deterministic, so a receipt whose envelope was never saved (the process died
after answering) is signed again to the very same bytes: a repeat gets the original.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from gateway.ingest import Fate, GroupCommitter, WriteContext, receive
from gateway.node import load_identity
from gateway.settings import load_settings
from gateway.store import make_engine, receipts, upgrade
from tests.gateway._support import FIXTURES

PROVINCE = "410000-RKJS"


@pytest.fixture
def committer(database_url):
    settings = load_settings(node_id=PROVINCE, database_url=database_url)
    engine = make_engine(database_url)
    upgrade(engine)
    context = WriteContext(load_identity(settings), tuple(settings.routes))
    yield lambda: GroupCommitter(engine, context)
    engine.dispose()


def _envelopes(committer) -> list[bytes | None]:
    with committer().engine.connect() as connection:
        return list(connection.execute(select(receipts.c.envelope)
                                       .order_by(receipts.c.id)).scalars())


@pytest.mark.parametrize("name", ["change-report.json", "change-report.xml"])
def test_a_repeat_after_a_crash_gets_the_same_receipt(committer, name):
    envelope = (FIXTURES / "envelopes" / name).read_bytes()
    first = committer()
    keys = first.context.identity.keys
    [answer] = first.commit([receive(envelope, keys)])
    assert answer.fate is Fate.NEW
    assert all(e is None for e in _envelopes(committer))  # answered, not yet saved
    # the process dies here; a new one gets the repeat
    [again] = committer().commit([receive(envelope, keys)])
    assert again.fate is Fate.REPLAY and again.receipt == answer.receipt


def test_envelopes_are_saved_with_the_next_group_or_on_flush(committer):
    one = committer()
    keys = one.context.identity.keys
    json_envelope = (FIXTURES / "envelopes" / "change-report.json").read_bytes()
    xml_envelope = (FIXTURES / "envelopes" / "change-report.xml").read_bytes()
    [first] = one.commit([receive(json_envelope, keys)])
    one.commit([receive(xml_envelope, keys)])
    saved = _envelopes(committer)
    assert first.receipt in saved and None in saved  # the first group's, not the second's
    one.flush()
    assert None not in _envelopes(committer)
