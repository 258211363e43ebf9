"""Bytes damaged at random, for the tests that feed damaged input to the readers: a few
pieces put in at random places, each over up to three bytes of what was there."""

from __future__ import annotations

import random
from collections.abc import Sequence

from hypothesis import strategies as st


def _put(data: bytes, at: int, piece: bytes, cut: int) -> bytes:
    return data[:at] + piece + data[at + cut:]


@st.composite
def overwritten(draw: st.DrawFn, data: bytes, pieces: Sequence[bytes], most: int) -> bytes:
    """``data`` with 1 to ``most`` of ``pieces`` put in, drawn by hypothesis."""
    for _ in range(draw(st.integers(1, most))):
        data = _put(data, draw(st.integers(0, len(data))), draw(st.sampled_from(pieces)),
                    draw(st.integers(0, 3)))
    return data


def overwritten_by(rng: random.Random, data: bytes, pieces: Sequence[bytes]) -> bytes:
    """``data`` with 1, 2 or 4 of ``pieces`` put in, drawn from a seeded ``rng`` (for a
    loop inside one test, as an async one needs)."""
    for _ in range(rng.choice((1, 1, 2, 4))):
        data = _put(data, rng.randrange(len(data) + 1), rng.choice(pieces), rng.choice((0, 1, 2)))
    return data
