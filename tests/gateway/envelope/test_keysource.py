"""PinnedKey: one trusted public key, checked against the envelope's algorithm."""

from __future__ import annotations

import pytest

from gateway.envelope import PinnedKey
from gateway.errors import AlgorithmRefused
from tests.gateway._support import ES256, RS256, header, private_key


def test_pinned_key():
    pinned = PinnedKey(private_key("p1").public_key())
    assert pinned.public_key("any-kid", ES256) is pinned.key
    pinned.authorise(header(), "any-kid")  # no directory rules: never raises
    with pytest.raises(AlgorithmRefused):
        pinned.public_key("any-kid", RS256)
