"""``adapters`` names its public API in a sorted ``__all__`` that resolves."""

from __future__ import annotations

import adapters


def test_all_is_sorted_complete_and_importable() -> None:
    assert adapters.__all__ == sorted(set(adapters.__all__))
    for name in adapters.__all__:
        assert getattr(adapters, name) is not None
    public = {n for n, value in vars(adapters).items() if not n.startswith("_")
              and getattr(value, "__module__", "").startswith("adapters")}
    assert public <= set(adapters.__all__)
