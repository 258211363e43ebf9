"""The public surface of schema.rules."""

import schema.rules


def test_all_is_sorted_and_exported() -> None:
    assert schema.rules.__all__ == sorted(schema.rules.__all__)
    assert set(schema.rules.__all__) == {
        "RULES",
        "Rule",
        "check_batch_count",
        "check_notice",
        "check_record",
        "check_report",
        "completeness",
    }
    for name in schema.rules.__all__:
        assert hasattr(schema.rules, name)
