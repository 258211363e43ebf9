"""gateway.docking names its public API in a sorted ``__all__`` that resolves."""

from __future__ import annotations

import gateway.docking as docking


def test_all_is_sorted_and_complete() -> None:
    assert docking.__all__ == sorted(docking.__all__)
    for member in docking.__all__:
        assert getattr(docking, member) is not None
    public = {n for n, v in vars(docking).items() if not n.startswith("_")
              and getattr(v, "__module__", "").startswith("gateway.docking")}
    assert public <= set(docking.__all__)
