"""Adapters are found through the entry-point group; a broken one warns, never crashes."""

from __future__ import annotations

from collections.abc import Iterator
from importlib.metadata import EntryPoint, entry_points

import pytest

import adapters._registry as registry
from adapters import GROUP, Adapter, AdapterNotFound, AdapterWarning, adapters, get_adapter
from schema.codes import Department

BUILT_IN = {"fg": "FG", "ga": "GA", "gs": "GS", "jy": "JY", "mz": "MZ", "rs": "RS", "ws": "WS"}


@pytest.fixture
def fresh_registry() -> Iterator[None]:
    adapters.cache_clear()
    yield
    adapters.cache_clear()


def test_the_seven_departments_are_installed() -> None:
    found = adapters()
    assert {name: a.department.value for name, a in found.items()} == BUILT_IN
    assert list(found) == sorted(found)
    for name, adapter in found.items():
        assert isinstance(adapter, Adapter)
        assert adapter.name == name and adapter.title_zh and adapter.title_en
        assert adapter.department in Department


def test_get_adapter() -> None:
    assert get_adapter("mz").department is Department.MZ
    with pytest.raises(AdapterNotFound, match="installed: fg, ga"):
        get_adapter("nope")


@pytest.mark.usefixtures("fresh_registry")
def test_a_broken_third_party_adapter_warns_and_the_others_load(
        monkeypatch: pytest.MonkeyPatch) -> None:
    extra = [
        EntryPoint("broken", "no_such_module_yipanqi:adapter", GROUP),
        EntryPoint("notone", "builtins:object", GROUP),
        EntryPoint("raises", "builtins:len", GROUP),
        EntryPoint("factory", "adapters.ga:TemporaryResidenceAdapter", GROUP),
    ]
    real = entry_points(group=GROUP)
    monkeypatch.setattr(registry, "entry_points", lambda group: [*real, *extra])
    with pytest.warns(AdapterWarning) as caught:
        found = adapters()
    messages = sorted(str(w.message) for w in caught)
    assert len(messages) == 3
    assert "'broken'" in messages[0] and "ModuleNotFoundError" in messages[0]
    assert any("'notone'" in m and "is not an adapter" in m for m in messages)
    assert any("'raises'" in m and "TypeError" in m for m in messages)
    assert set(found) == {*BUILT_IN, "factory"}
