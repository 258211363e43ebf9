"""The normalisers of department values: the forms clerks and spreadsheets write."""

from __future__ import annotations

import datetime as dt

import pytest

from adapters import RowRefused
from adapters import _values as v


@pytest.mark.parametrize("text", ["2010-04-07", "2010/4/7", "2010.4.7", "20100407",
                                  "2010年4月7日", "２０１０年４月７日", " 2010-4-7 ",
                                  "2010 年 4 月 7 日", "2010/4/7 0:00", "2010-04-07 00:00:00",
                                  "２０１０／４／７　０：００"])
def test_five_date_forms_and_full_width(text: str) -> None:
    assert v.date(v.clean(text), "日期") == dt.date(2010, 4, 7)


@pytest.mark.parametrize("text", ["2010-02-30", "2010年13月1日", "7/4/2010", "2010-4", "明天",
                                  "2010/4/7 8:30", "2010-4-7 0:00 下午"])
def test_unreadable_or_impossible_dates_are_row_date(text: str) -> None:
    with pytest.raises(RowRefused) as caught:
        v.date(text, "出生日期")
    assert (caught.value.code, caught.value.column) == ("row.date", "出生日期")
    assert repr(text) in caught.value.message_en  # as written, spaces and all


def test_blank_is_row_missing() -> None:
    with pytest.raises(RowRefused) as caught:
        v.date(v.clean("　 "), "登记日期")
    assert caught.value.code == "row.missing"


def test_id_numbers_are_upgraded_uppercased_and_cleaned() -> None:
    assert v.id_number("411622830105451", "号") == "411622198301054518"
    assert v.id_number("41162319900712108x", "号") == "41162319900712108X"
    wide = v.clean(" ４１１６２２１９８５０３１２４５２９ ")
    assert v.id_number(wide, "号") == "411622198503124529"


@pytest.mark.parametrize("text", ["4.11624E+17", "4.11624e17", "4E+17"])
def test_scientific_notation_is_refused(text: str) -> None:
    with pytest.raises(RowRefused) as caught:
        v.id_number(text, "公民身份号码")
    assert caught.value.code == "row.id-scientific"
    assert "科学计数法" in caught.value.message_zh


@pytest.mark.parametrize("text", ["41162219850312452", "4116221985031245290", "41162219850312452Y"])
def test_wrong_lengths_are_row_id_format(text: str) -> None:
    with pytest.raises(RowRefused) as caught:
        v.id_number(text, "公民身份号码")
    assert caught.value.code == "row.id-format"


def test_codes() -> None:
    assert [v.sex(s, "性别") for s in ("男", "女", "1", "2", "男性")] == ["1", "2", "1", "2", "1"]
    assert [v.ethnicity(s, "民族") for s in ("汉族", "汉", "03", "维吾尔族", "")] == [
        "01", "01", "03", "05", None]
    assert v.region("410102520100", "登记单位代码") == "410102"
    for helper, value in ((v.sex, "M"), (v.ethnicity, "火星族"), (v.region, "41O102")):
        with pytest.raises(RowRefused) as caught:
            helper(value, "列")
        assert caught.value.code == "row.code"


def test_text_limits() -> None:
    assert v.text(v.clean("\u3000王秀英 "), "姓名", 50) == "王秀英"
    assert v.clean("Ａ１　ｂ") == "A1 b"
    with pytest.raises(RowRefused) as caught:
        v.text("王" * 51, "姓名", 50)
    assert caught.value.code == "row.text"
    assert caught.value.message_en == "'姓名' has 51 characters, more than 50"


@pytest.mark.parametrize(("value", "said"), [
    ("建设路1号\n3单元", "holds a line break (inside the cell): make it one line"),
    ("建设路1号\r\n3单元", "holds a line break (inside the cell): make it one line"),
    ("建设路\x071号", "holds control or invisible characters"),
    ("建设路\u200b1号", "holds control or invisible characters")])
def test_text_says_what_it_holds_that_a_record_may_not(value: str, said: str) -> None:
    with pytest.raises(RowRefused) as caught:
        v.text(value, "房屋坐落", 200)
    assert caught.value.code == "row.text" and caught.value.message_en.endswith(said)


def test_a_replacement_character_is_row_encoding() -> None:
    """U+FFFD stands for characters an earlier conversion could not read: they are lost."""
    with pytest.raises(RowRefused) as caught:
        v.text("王\ufffd英", "姓名", 50)
    assert (caught.value.code, caught.value.column) == ("row.encoding", "姓名")
    assert "replacement character" in caught.value.message_en


def test_what_an_id_number_says() -> None:
    assert v.birth_date_of("411622198503124529") == dt.date(1985, 3, 12)
    assert v.birth_date_of("411622198502304529") is None
    assert (v.sex_of("411622198503124529"), v.sex_of("411622198301054518")) == ("2", "1")
