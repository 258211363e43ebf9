"""name_key: one name however it was typed."""

from __future__ import annotations

import pytest

from gateway.docking._names import name_key


@pytest.mark.parametrize("typed", [
    "王秀英", "王 秀英", "王\u3000秀英", "王\u200b秀英", "王秀英\ufe0f", "王\U000e0100秀英",
])
def test_typing_noise_is_not_part_of_a_name(typed: str) -> None:
    assert name_key(typed) == name_key("王秀英")


@pytest.mark.parametrize("dot", ["\u00b7", "\u2022", "\u30fb", "\uff65", "\u2027", "\u22c5"])
def test_the_separating_dot_is_one_dot(dot: str) -> None:
    assert name_key(f"买买提{dot}艾力") == name_key("买买提·艾力")


def test_other_names_stay_apart() -> None:
    assert name_key("王秀英") != name_key("王秀花")
    assert name_key("买买提·艾力") != name_key("买买提艾力")
