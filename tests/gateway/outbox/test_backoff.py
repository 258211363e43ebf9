"""Retry delays grow exponentially up to the ceiling, with jitter."""

from __future__ import annotations

import random

from gateway.outbox import backoff
from gateway.settings import OutboxSettings


def test_backoff_grows_and_is_jittered():
    settings = OutboxSettings(base_delay=1.0, max_delay=30.0)
    rng = random.Random(1)
    delays = [backoff(n, settings, rng) for n in range(1, 9)]
    for attempts, delay in enumerate(delays, start=1):
        ceiling = min(30.0, 2 ** (attempts - 1))
        assert ceiling / 2 <= delay <= ceiling
    assert len({round(backoff(3, settings), 6) for _ in range(20)}) > 1
