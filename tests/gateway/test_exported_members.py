"""Each gateway package names its public API in a sorted ``__all__`` that resolves."""

from __future__ import annotations

import importlib

import pytest

PACKAGES = ["gateway.app", "gateway.audit", "gateway.crypto", "gateway.demo", "gateway.envelope",
            "gateway.ingest", "gateway.node", "gateway.outbox", "gateway.receipts",
            "gateway.records", "gateway.routing", "gateway.store", "gateway.trust"]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_is_sorted_and_complete(name):
    package = importlib.import_module(name)
    assert package.__all__ == sorted(package.__all__)
    for member in package.__all__:
        assert getattr(package, member) is not None
    public = {n for n, v in vars(package).items() if not n.startswith("_")
              and getattr(v, "__module__", "").startswith(name)}
    assert public <= set(package.__all__)
