"""Normalising the values of department exports, the way clerks and spreadsheets write them.

Readers clean every value first (:func:`clean`: full-width digits, letters and spaces become
ASCII, stray spaces go), so the helpers below take cleaned values. Dates in the five usual
forms become :class:`datetime.date` values; 15-digit legacy ID numbers become 18 characters
with the computed check character; a lowercase ``x`` becomes ``X``. What cannot be read raises
:class:`~adapters.errors.RowRefused` with the column and a stable rule id.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from adapters.errors import RowRefused
from schema.identity import upgrade_id15

# Full-width ASCII (U+FF01–U+FF5E) and the ideographic space (U+3000).
_HALF = {0xFF01 + i: 0x21 + i for i in range(94)} | {0x3000: 0x20, 0xA0: 0x20}
_WIDE_RE = re.compile("[\uff01-\uff5e\u3000\xa0]")
#: What a decoder puts for bytes it cannot read (U+FFFD REPLACEMENT CHARACTER).
LOST = "\ufffd"
#: For whole CSV lines: the full-width comma and quote stay, they are data, not syntax.
HALF_WIDTH_LINE = {k: c for k, c in _HALF.items() if k not in (0xFF0C, 0xFF02)}
WIDE_LINE_RE = re.compile("[\uff01\uff03-\uff0b\uff0d-\uff5e\u3000\xa0]")
_ID_RE = re.compile(r"[0-9]{17}[0-9X]|[0-9]{15}")
_SCIENTIFIC_RE = re.compile(r"[0-9](\.[0-9]+)?E\+?[0-9]+", re.IGNORECASE)
# The five forms, told apart by their separator.
_DATE_RES = {
    "-": re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    "/": re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    ".": re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})"),
    "": re.compile(r"(\d{4})(\d{2})(\d{2})"),
    "年": re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"),
}
_MIDNIGHT_RE = re.compile(r"\s+0{1,2}:00(:00)?\Z")
_SEXES = {"1": "1", "2": "2", "男": "1", "女": "2", "男性": "1", "女性": "2", "0": "0",
          "9": "9", "未知": "0", "未说明": "9"}
# GB/T 3304: the 56 ethnic groups in code order, then 97 and 98.
_ETHNIC_NAMES = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 "
    "拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 "
    "怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()
_ETHNICITIES = {name: f"{i:02d}" for i, name in enumerate(_ETHNIC_NAMES, 1)}
_ETHNICITIES |= {f"{name}族": code for name, code in _ETHNICITIES.items()}
_ETHNICITIES |= {code: code for code in _ETHNICITIES.values()}
_ETHNICITIES |= {"97": "97", "其他": "97", "98": "98", "外国血统中国籍人士": "98"}


def clean(value: str) -> str:
    """Full-width characters to ASCII, surrounding spaces gone."""
    if not value.isascii() and _WIDE_RE.search(value):
        value = value.translate(_HALF)
    return value.strip()


def required(value: str, column: str) -> str:
    """The value (readers deliver it cleaned); :class:`RowRefused` ``row.missing`` if blank."""
    if not value:
        raise _blank(column)
    return value


def _blank(column: str) -> RowRefused:
    return RowRefused("row.missing", column, f"“{column}”为空", f"{column!r} is blank")


def id_number(value: str, column: str) -> str:
    """An 18-character citizen ID number; 15-digit legacy numbers are upgraded."""
    number = required(value, column).replace(" ", "").upper()
    if _ID_RE.fullmatch(number):
        return upgrade_id15(number) if len(number) == 15 else number
    if _SCIENTIFIC_RE.fullmatch(number):
        raise RowRefused(
            "row.id-scientific", column,
            f"身份证号码“{number}”被表格软件改成了科学计数法，后几位已丢失；请从原始记录重新录入，"
            "并把该列设为文本格式",
            f"the ID number {number!r} was turned into scientific notation by a spreadsheet: "
            "its last digits are lost; re-enter it from the source with the column as text",
        )
    raise RowRefused(
        "row.id-format", column,
        f"身份证号码“{number}”应为 18 位（或 15 位旧号码）",
        f"the ID number {number!r} should have 18 characters (or 15 digits, legacy)",
    )


@lru_cache(maxsize=1 << 15)  # birth dates repeat over a large file; bounded
def _date(text: str) -> dt.date | None:
    pattern = _DATE_RES.get(text[4:5] if len(text) > 4 and not text[4].isdigit() else "")
    match = pattern.fullmatch(text) if pattern is not None else None
    if match is None:
        return None
    try:
        return dt.date(*map(int, match.groups()))
    except ValueError:
        return None


def date(value: str, column: str) -> dt.date:
    """The date of 2010-04-07, 2010/4/7, 2010.4.7, 20100407 or 2010年4月7日; a midnight
    time after it (``2010/4/7 0:00``, as a spreadsheet writes a date cell) is no part of
    it."""
    day = _date(value)
    if day is not None:
        return day
    if not value:
        raise _blank(column)
    day = _date(_MIDNIGHT_RE.sub("", value).replace(" ", ""))
    if day is None:
        raise RowRefused("row.date", column, f"日期“{value}”无法识别或不存在",
                         f"{value!r} is not a date (or not a real one)")
    return day


def optional_date(value: str, column: str) -> dt.date | None:
    return date(value, column) if value else None


def sex(value: str, column: str) -> str:
    """The GB/T 2261.1 code from 男/女, 男性/女性 or the code itself."""
    code = _SEXES.get(value)
    if code is not None:
        return code
    text = required(value, column)
    raise RowRefused("row.code", column, f"性别“{text}”无法识别（应为 男/女 或 1/2）",
                     f"sex {text!r} is not 男/女 or 1/2")


def ethnicity(value: str, column: str) -> str | None:
    """The GB/T 3304 code from a name (汉族, 汉) or the code; None when blank."""
    if not value:
        return None
    text = value
    code = _ETHNICITIES.get(text)
    if code is None:
        raise RowRefused("row.code", column, f"民族“{text}”不在 GB/T 3304 中",
                         f"ethnicity {text!r} is not in GB/T 3304")
    return code


def region(value: str, column: str) -> str:
    """A six-digit region code (the first six digits of a longer unit code)."""
    if len(value) >= 6 and value.isascii() and value.isdigit():
        return value[:6]
    text = required(value, column)
    raise RowRefused("row.code", column, f"行政区划代码“{text}”应为 6 位数字",
                     f"region code {text!r} should be six digits")


def birth_date_of(number: str) -> dt.date | None:
    """The date segment of an 18-character ID number, if it is a real date."""
    return _date(number[6:14])


def sex_of(number: str) -> str:
    """The sex the ID number's 17th digit encodes."""
    return "1" if int(number[16]) % 2 else "2"


def text(value: str, column: str, limit: int) -> str:
    """Text of at most ``limit`` characters, no control characters, no replacement
    character (U+FFFD: characters an earlier conversion could not read, now lost)."""
    if value and len(value) <= limit and value.isprintable() and LOST not in value:
        return value
    required(value, column)
    if LOST in value:
        raise RowRefused("row.encoding", column,
                         f"“{column}”含有替换字符 {LOST}：原有的字符在转换编码时已丢失",
                         f"{column!r} holds the replacement character {LOST}: its "
                         "characters were lost converting the encoding")
    if len(value) > limit:
        raise RowRefused("row.text", column,
                         f"“{column}”有 {len(value)} 个字符，超过 {limit} 个",
                         f"{column!r} has {len(value)} characters, more than {limit}")
    if "\n" in value or "\r" in value:
        raise RowRefused("row.text", column,
                         f"“{column}”含有换行（单元格内的换行）：请改为一行",
                         f"{column!r} holds a line break (inside the cell): make it one line")
    raise RowRefused("row.text", column, f"“{column}”含有控制字符或不可见字符",
                     f"{column!r} holds control or invisible characters")


def optional_text(value: str, column: str, limit: int) -> str | None:
    return text(value, column, limit) if value else None
