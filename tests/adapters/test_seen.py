"""The compact digest set behind ``row.duplicate``."""

from __future__ import annotations

import random

from adapters._seen import DigestSet


def test_add_answers_whether_new_across_growth() -> None:
    seen = DigestSet()
    rng = random.Random(7)
    values = list({rng.randrange(1, 2**64) for _ in range(20_000)})
    assert all(seen.add(value) for value in values)
    assert not any(seen.add(value) for value in values[::97])
    assert len(seen) == len(values)


def test_colliding_slots_are_kept_apart() -> None:
    seen = DigestSet()
    assert seen.add(1 << 40) and seen.add(2 << 40) and seen.add(3 << 40)
    assert not seen.add(2 << 40)
