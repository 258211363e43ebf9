"""The public surface of ``schema`` is deliberate: sorted, complete and importable."""

import types

import schema


def test_all_is_sorted_and_unique():
    assert schema.__all__ == sorted(set(schema.__all__))


def test_every_exported_name_exists():
    for name in schema.__all__:
        assert hasattr(schema, name), name


def test_no_public_name_is_left_out():
    public = {
        name
        for name, value in vars(schema).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    assert public <= set(schema.__all__)
    assert {"v1", "v2"} <= set(schema.__all__)
