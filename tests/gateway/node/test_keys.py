"""A node accepts exactly what the directory lists for messages addressed to it."""

from __future__ import annotations

import pytest

from gateway.errors import NotPermitted
from gateway.node import load_identity
from gateway.settings import load_settings
from tests.gateway._support import header

ZZ, PROVINCE, POLICE = "410100-RKJS", "410000-RKJS", "410100-GA"


def _keys(node_id: str = ZZ):
    return load_identity(load_settings(node_id=node_id)).keys


@pytest.mark.parametrize(("message_type", "sender", "kid"), [
    ("ChangeReport", ZZ, f"{ZZ}-2010"),  # local submission
    ("ChangeReportBatch", ZZ, f"{ZZ}-2010"),
    ("Receipt", PROVINCE, f"{PROVINCE}-2010"),  # the answer to what ZZ sent there
    ("DepartmentNotice", POLICE, f"{POLICE}-2010"),
])
def test_listed_routes_pass(message_type, sender, kid):
    _keys().authorise(header(message_type, sender=sender, recipient=ZZ), kid)


@pytest.mark.parametrize(("message_type", "sender", "kid"), [
    ("DepartmentNotice", ZZ, f"{ZZ}-2010"),  # ZZ sends no notices: not locally either
    ("Receipt", POLICE, f"{POLICE}-2010"),  # ZZ never sends to the police
])
def test_unlisted_routes_are_refused(message_type, sender, kid):
    with pytest.raises(NotPermitted):
        _keys().authorise(header(message_type, sender=sender, recipient=ZZ), kid)


def test_a_message_for_another_node_is_refused():
    with pytest.raises(NotPermitted):
        _keys().authorise(header("ChangeReport", sender=ZZ, recipient=PROVINCE), f"{ZZ}-2010")
