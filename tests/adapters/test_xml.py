"""XML exports: streamed records, hardened parsing, truncation, rejects."""

from __future__ import annotations

import io

import pytest
from lxml import etree

from adapters import ExportUnreadable
from adapters._protocol import Row, RowError
from adapters._xml import REASON_ELEMENT, XmlExport, XmlLayout

LAYOUT = XmlLayout(root="数据", record="记录")
DOC = ('<?xml version="1.0" encoding="GB18030"?>\n<数据 代码="410102">\n'
       "  <记录><编号>1</编号><甲><姓名> 王秀英 </姓名></甲></记录>\n"
       "  <!-- a comment -->\n"
       "  <记录><编号>２</编号></记录>\n</数据>\n").encode("gb18030")


def read(data: bytes) -> list[Row | RowError]:
    return list(XmlExport(io.BytesIO(data), "f.xml", LAYOUT).rows())


def test_records_become_values_by_path_with_the_root_attributes() -> None:
    first, second = read(DOC)
    assert isinstance(first, Row) and isinstance(second, Row)
    assert (first.number, dict(first.values)) == (3, {"@代码": "410102", "编号": "1",
                                                      "甲/姓名": "王秀英"})
    assert second.values["编号"] == "2"


@pytest.mark.parametrize(("data", "rule"), [
    (b"", "file.empty"),
    (b"\x00\x01PK\x03\x04garbage", "file.malformed"),
    ('<!DOCTYPE x [<!ENTITY a "b">]><数据><记录/></数据>'.encode(),
     "file.malformed"),
    ("<其他/>".encode(), "file.header"),
    ("<数据></数据>".encode(), "file.no-rows"),
])
def test_unusable_files(data: bytes, rule: str) -> None:
    with pytest.raises(ExportUnreadable) as caught:
        read(data)
    assert caught.value.rule == rule


def test_a_truncated_file_keeps_the_records_before_the_break() -> None:
    export = XmlExport(io.BytesIO(DOC[: DOC.index("２".encode("gb18030"))]), "f.xml", LAYOUT)
    rows = export.rows()
    assert isinstance(next(rows), Row)
    with pytest.raises(ExportUnreadable) as caught:
        next(rows)
    assert caught.value.rule == "file.malformed"


def test_an_export_declaring_a_namespace_reads_by_names() -> None:
    declared = DOC.replace('<数据 代码="410102">'.encode("gb18030"),
                           '<数据 xmlns="urn:x:mz" 代码="410102">'.encode("gb18030"))
    prefixed = DOC.replace(b"<", b"<m:").replace(b"<m:/", b"</m:").replace(
        b"<m:?xml", b"<?xml").replace(b"<m:!--", b"<!--").replace(
        '<m:数据 代码="410102">'.encode("gb18030"),
        '<m:数据 xmlns:m="urn:x:mz" 代码="410102">'.encode("gb18030"))
    for data in (declared, prefixed):
        assert [(r.number, dict(r.values)) for r in read(data) if isinstance(r, Row)] == [
            (3, {"@代码": "410102", "编号": "1", "甲/姓名": "王秀英"}),
            (5, {"@代码": "410102", "编号": "2"})]


def _records(count: int, broken_at: int, damage: str) -> bytes:
    """``count`` records of some 220 bytes, one a line; record ``broken_at`` (from 0)
    damaged as ``damage`` says."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<数据>"]
    for i in range(count):
        record = f"<记录><编号>{i}</编号><甲><姓名>{'王秀英' * 20}</姓名></甲></记录>"
        if i == broken_at:
            record = {"mismatch": record.replace("</编号>", "</编>"),
                      "entity": record.replace("王秀英", "王&nbsp;秀英", 1),
                      "control": record.replace("王秀英", "王\x01秀英", 1),
                      "cut": record[:30]}[damage]
        lines.append(record)
        if damage == "cut" and i == broken_at:
            break
    else:
        lines.append("</数据>")
    return "\n".join(lines).encode()


@pytest.mark.parametrize("damage", ["mismatch", "entity", "control", "cut"])
@pytest.mark.parametrize("broken_at", [2, 299, 1000])
def test_every_record_before_a_break_is_read_and_the_break_is_located(
        damage: str, broken_at: int) -> None:
    """The records before the break are read, however far into the file it lies (the
    parser reads 64 KiB at a time); the broken record is not; the error names the broken
    record's line (an undefined entity included: libxml2 logs it and fails later, at
    line 1)."""
    export = XmlExport(io.BytesIO(_records(1200, broken_at, damage)), "f.xml", LAYOUT)
    rows = []
    with pytest.raises(ExportUnreadable) as caught:
        for row in export.rows():
            rows.append(row)
    assert [r.values["编号"] for r in rows if isinstance(r, Row)] == [
        str(i) for i in range(broken_at)]
    assert len(rows) == broken_at
    assert caught.value.rule == "file.malformed" and caught.value.row == broken_at + 3


def test_rejects_copy_the_record_with_a_reason() -> None:
    export = XmlExport(io.BytesIO(DOC), "f.xml", LAYOUT)
    out = io.BytesIO()
    rows = export.rows()
    first = next(rows)
    writer = export.rejects(out)
    writer.write(first.raw, "第3行 row.date：日期错误")
    writer.close()
    root = etree.fromstring(out.getvalue())
    assert root.tag == "数据" and root.get("代码") == "410102"
    (record,) = root
    assert record.findtext("甲/姓名") == " 王秀英 "
    assert record.findtext(REASON_ELEMENT) == "第3行 row.date：日期错误"
    assert [r.values["编号"] for r in read(out.getvalue()) if isinstance(r, Row)] == ["1"]


@pytest.mark.parametrize("prolog", [
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>\n',
    '<?xml version="1.0"?>\n<!DOCTYPE 数据 [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n',
])
def test_a_refused_dtd_is_located_at_its_line(prolog: str) -> None:
    with pytest.raises(ExportUnreadable) as caught:
        read((prolog + "<数据><记录><编号>1</编号></记录></数据>").encode())
    assert (caught.value.rule, caught.value.row) == ("file.malformed", 2)


def test_the_rejects_file_keeps_the_encoding_the_file_declares() -> None:
    export = XmlExport(io.BytesIO(DOC), "f.xml", LAYOUT)
    first = next(export.rows())
    out = io.BytesIO()
    writer = export.rejects(out)
    writer.write(first.raw, "第3行 row.date：日期错误")
    writer.close()
    assert out.getvalue().startswith(b'<?xml version="1.0" encoding="GB18030"?>')
    assert "王秀英".encode("gb18030") in out.getvalue()
    assert [r.values["编号"] for r in read(out.getvalue()) if isinstance(r, Row)] == ["1"]


def test_a_record_wrapped_in_another_element_is_reported_not_lost() -> None:
    data = ("<数据><记录><编号>1</编号></记录>\n<包>\n<记录><编号>2</编号></记录></包>\n"
            "<记录><编号>3</编号></记录></数据>").encode()
    items = read(data)
    assert [(i.row, i.rule) for i in items if isinstance(i, RowError)] == [(3, "row.columns")]
    assert [i.values["编号"] for i in items if isinstance(i, Row)] == ["1", "3"]
    error = next(i for i in items if isinstance(i, RowError))
    assert error.raw is not None


def test_a_record_inside_a_record_is_in_the_rejects_file_once() -> None:
    """The inner record is refused on its own, after the outer one in line order, and taken
    out of it (which an adapter refuses for what it lacks): each is copied into the rejects
    file once."""
    data = ("<数据>\n<记录>\n<记录><编号>2</编号></记录>\n</记录>\n"
            "<记录><编号>3</编号></记录></数据>").encode()
    export = XmlExport(io.BytesIO(data), "f.xml", LAYOUT)
    out = io.BytesIO()
    writer = export.rejects(out)
    seen = []
    for item in export.rows():
        number = item.row if isinstance(item, RowError) else item.number
        seen.append((number, item.rule if isinstance(item, RowError) else "row"))
        writer.write(item.raw, "x")
    writer.close()
    assert seen == [(2, "row"), (3, "row.columns"), (5, "row")]
    root = etree.fromstring(out.getvalue())
    assert [len(record.findall("记录")) for record in root] == [0, 0, 0]
    assert [record.findtext("编号") for record in root] == [None, "2", "3"]


def test_an_element_twice_in_a_record_is_row_columns() -> None:
    data = "<数据><记录><编号>1</编号><编号>2</编号></记录></数据>".encode()
    (error,) = read(data)
    assert isinstance(error, RowError)
    assert (error.row, error.column, error.rule) == (1, "编号", "row.columns")


def test_a_record_held_inside_another_is_reported_when_the_file_breaks() -> None:
    export = XmlExport(io.BytesIO("<数据>\n<记录>\n<记录><编号>2</编号></记录>\n<编".encode()),
                       "f.xml", LAYOUT)
    rows = export.rows()
    held = next(rows)
    assert isinstance(held, RowError) and (held.row, held.rule) == (3, "row.columns")
    with pytest.raises(ExportUnreadable) as caught:
        next(rows)
    assert caught.value.rule == "file.malformed"


def test_records_in_a_wrapper_are_given_at_once_not_held() -> None:
    wrapped = "".join(f"<记录><编号>{i}</编号></记录>\n" for i in range(3000))
    export = XmlExport(io.BytesIO(f"<数据>\n<包>\n{wrapped}</包>\n</数据>".encode()), "f.xml",
                       LAYOUT)
    rows = export.rows()
    first = next(rows)  # given before the wrapper ends, its element still whole
    assert isinstance(first, RowError) and first.row == 3 and first.raw is not None
    assert sum(1 for _ in rows) == 2999
