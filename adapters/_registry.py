"""Finding adapters: the entry-point group ``yipanqi.adapters``.

Each entry point names an object that satisfies :class:`~adapters.Adapter` (or a class or
factory returning one). A third-party adapter that fails to import, or is not an adapter,
gives a warning and is left out; it never stops the others (as pydantic's plugin loader).
"""

from __future__ import annotations

import warnings
from functools import cache
from importlib.metadata import EntryPoint, entry_points

from adapters._protocol import Adapter
from adapters.errors import AdapterNotFound
from schema.codes import Department

GROUP = "yipanqi.adapters"


class AdapterWarning(UserWarning):
    """An installed adapter could not be loaded."""


def _load(entry: EntryPoint) -> Adapter | None:
    try:
        loaded = entry.load()
        candidate = loaded() if isinstance(loaded, type) or (
            callable(loaded) and not isinstance(loaded, Adapter)) else loaded
    except (Exception, SystemExit) as exc:  # a broken plugin must not stop the others
        warnings.warn(f"adapter {entry.name!r} ({entry.value}) cannot be loaded: "
                      f"{type(exc).__name__}: {exc}", AdapterWarning, stacklevel=3)
        return None
    if not isinstance(candidate, Adapter):
        warnings.warn(f"adapter {entry.name!r} ({entry.value}) is not an adapter: it lacks "
                      "name, department, titles, suffix, open() or notices()",
                      AdapterWarning, stacklevel=3)
        return None
    wrong = _wrongly_typed(candidate)
    if wrong:
        warnings.warn(f"adapter {entry.name!r} ({entry.value}) is not an adapter: "
                      f"{', '.join(wrong)}", AdapterWarning, stacklevel=3)
        return None
    return candidate


def _wrongly_typed(candidate: Adapter) -> list[str]:
    """What the protocol's attribute check cannot see: the attributes' types."""
    wrong = [f"{name} is not text" for name in ("name", "title_zh", "title_en", "suffix")
             if not isinstance(getattr(candidate, name), str)]
    if not isinstance(candidate.department, Department):
        wrong.append(f"department {candidate.department!r} is not one of "
                     f"{', '.join(d.value for d in Department)}")
    return wrong


@cache
def adapters() -> dict[str, Adapter]:
    """Every installed adapter that loads, by entry-point name, sorted."""
    found: dict[str, Adapter] = {}
    for entry in sorted(entry_points(group=GROUP), key=lambda e: e.name):
        adapter = _load(entry)
        if adapter is not None and entry.name not in found:
            found[entry.name] = adapter
    return found


def get_adapter(name: str) -> Adapter:
    """The adapter called ``name``; :class:`AdapterNotFound` if none is installed."""
    try:
        return adapters()[name]
    except KeyError:
        known = ", ".join(adapters()) or "none"
        raise AdapterNotFound(f"no adapter {name!r} (installed: {known})") from None
