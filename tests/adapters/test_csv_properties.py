"""CSV exports built at random from good, blank, short, undecodable and unmatched-quote
lines: every line gets what the module promises, never an exception, and chunks read on
their own give what reading in order gives."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters._csv import CsvExport, CsvLayout
from adapters._protocol import Row, RowError

LAYOUT = CsvLayout(required=("姓名", "日期"), optional=("备注",))
HEADER = ["姓名", "日期", "备注"]

#: Text that reading leaves as it is, but for full-width digits, letters and spaces made
#: ASCII and the stripping of each field.
_PLAIN = st.text(st.sampled_from("王李秀英建国abcXYZ019-/，。 ２０ＡＢ\u3000"), max_size=8)
_HALF = str.maketrans("２０ＡＢ\u3000", "20AB ")
#: Text that needs quoting: commas, quotes, a line break (no comma after it: a whole
#: record's worth of commas there reads as an unmatched quote).
_QUOTED = st.text(st.sampled_from('王李ab01,"， '), max_size=6).flatmap(
    lambda head: st.sampled_from(["", "\n", "\r\n"]).map(lambda brk: head + brk)
).flatmap(lambda head: _PLAIN.map(lambda tail: head + tail.replace(",", "")))


@dataclass(frozen=True)
class Line:
    """One record of the export and what reading it must give."""

    text: str
    kind: str  # row, blank, short, encoding, unmatched, wide
    values: tuple[str, ...] = ()


def _record(fields: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerow(fields)
    return out.getvalue().removesuffix("\r\n")


@st.composite
def _line(draw: st.DrawFn, *, quotes: bool, breaks: bool) -> Line:
    kinds = ["row", "row", "row", "blank", "short", "encoding"]
    if quotes:
        kinds.append("unmatched")
    kind = draw(st.sampled_from(kinds))
    if kind == "row":
        # A quote inside an unquoted value is text, but could close an unmatched one.
        inner = quotes and draw(st.booleans())
        values = _QUOTED if quotes and breaks and not inner else _PLAIN
        fields = draw(st.lists(values, min_size=3, max_size=3))
        if inner:
            fields[0] = "王\"" + fields[0]
        # Empty fields past the header's are trailing commas; one holding text makes the
        # row too wide (row.columns); a record over several lines may have empty ones only.
        extra = draw(st.lists(st.sampled_from(["", " ", "x"]), max_size=2))
        if any("\n" in field for field in fields):
            extra = [field.strip() for field in extra if field != "x"]
        fields += extra
        if not "".join(fields).translate(_HALF).strip():
            fields[0] = "王"
        text = _record(fields) if quotes and not inner else ",".join(fields)
        if any(field.strip() for field in extra):
            return Line(text, "wide")
        return Line(text, kind, tuple(field.translate(_HALF).strip() for field in fields[:3]))
    if kind == "blank":
        return Line(draw(st.sampled_from(["", ",,", "  ", ", ,"])), kind)
    if kind == "short":
        fields = draw(st.lists(_PLAIN, min_size=1, max_size=2))
        return Line(",".join(["李" + fields[0], *fields[1:]]), kind)
    if kind == "encoding":
        return Line("王\udcff,2010,x", kind)
    # A value that opens a quote and never closes it, the rest of the line cut at commas.
    return Line('"' + draw(_PLAIN).replace(",", "") + ",2010," + draw(_PLAIN), kind)


@st.composite
def exports(draw: st.DrawFn) -> tuple[bytes, list[tuple[int, Line]]]:
    """An export and its records, each with the file line it starts on."""
    utf8 = draw(st.booleans())
    # A file of CR-ended lines reads CR, LF and CRLF all as line ends, so its values hold
    # no line breaks.
    end = draw(st.sampled_from(["\r\n", "\n", "\r"]))
    lines: list[Line] = []
    quotes = True
    for _ in range(draw(st.integers(0, 25))):
        line = draw(_line(quotes=quotes, breaks=end != "\r"))
        lines.append(line)
        # After an unmatched quote no line may hold a quote, or the two would pair up
        # into one multi-line value.
        quotes = quotes and line.kind != "unmatched"
    # Titles and blank lines may stand above the header.
    above = draw(st.lists(st.sampled_from(["郑州市暂住人口登记", "", ",,", "姓名,备注"]),
                          max_size=3))
    placed: list[tuple[int, Line]] = []
    number = len(above) + 2
    for line in lines:
        placed.append((number, line))
        number += line.text.replace("\r\n", "\n").count("\n") + 1
    text = end.join([*above, ",".join(HEADER), *(line.text for line in lines)])
    if draw(st.booleans()):
        text += end
    encoding = "utf-8" if utf8 else "gb18030"
    data = text.encode(encoding, errors="surrogateescape")
    return (b"\xef\xbb\xbf" if utf8 else b"") + data, placed


def _read(data: bytes) -> list[Row | RowError]:
    return list(CsvExport(io.BytesIO(data), "f.csv", LAYOUT).rows())


def _expected(placed: list[tuple[int, Line]]) -> list[tuple[int, str, object]]:
    found: list[tuple[int, str, object]] = []
    for number, line in placed:
        if line.kind == "row":
            found.append((number, "row", dict(zip(HEADER, line.values, strict=True))))
        elif line.kind == "encoding":
            found.append((number, "error", "row.encoding"))
        elif line.kind in ("short", "unmatched", "wide"):
            found.append((number, "error", "row.columns"))
    return found


def _seen(items: list[Row | RowError]) -> list[tuple[int, str, object]]:
    return [(item.number, "row", dict(item.values)) if isinstance(item, Row)
            else (item.row or 0, "error", item.rule) for item in items]


_SETTINGS = settings(max_examples=300, deadline=None,
                     suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(exports())
def test_every_line_gets_its_row_or_its_located_error(
        export: tuple[bytes, list[tuple[int, Line]]]) -> None:
    data, placed = export
    if not any(line.kind != "blank" for _, line in placed):
        return  # header-only files: file.no-rows, tested on their own
    assert _seen(_read(data)) == _expected(placed)


@_SETTINGS
@given(exports(), st.sampled_from([16, 64, 256]))
def test_chunks_read_alone_give_what_reading_in_order_gives(
        export: tuple[bytes, list[tuple[int, Line]]], size: int) -> None:
    data, placed = export
    if not any(line.kind != "blank" for _, line in placed):
        return
    stream = io.BytesIO(data)
    reader = CsvExport(stream, "f.csv", LAYOUT)
    resumed: list[Row | RowError] = []
    for chunk in reader.chunks(size):
        source = stream if chunk.data is None else io.BytesIO(chunk.data)
        resumed += reader.resume(chunk.first_line, source).rows()
    assert resumed == _read(data)
