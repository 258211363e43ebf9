import io

import pytest

from schema import jsonstream
from schema.errors import MalformedDocument
from schema.jsonstream import JsonObjectStream


def events(text: str | bytes, mode=lambda key: "stream" if key == "items" else "value"):
    data = text.encode() if isinstance(text, str) else text
    return list(JsonObjectStream(io.BytesIO(data)).events(mode))


def test_members_and_items_with_their_lines():
    text = '{"type": "X",\n "items": [\n  {"n": 1},\n  {"n": 2}\n ],\n "tail": true}'
    assert events(text) == [
        ("member", "type", "X", 1),
        ("open", "items", None, 2),
        ("item", "items", {"n": 1}, 3),
        ("item", "items", {"n": 2}, 4),
        ("member", "tail", True, 6),
    ]


def test_skip_mode_drops_the_array():
    got = events('{"items": [1, 2, 3], "a": 1}', lambda key: "skip" if key == "items" else "value")
    assert got == [("member", "a", 1, 1)]


def test_values_split_across_chunks(monkeypatch):
    monkeypatch.setattr(jsonstream, "CHUNK", 7)
    items = ",\n".join(f'{{"reportId": "R{i}", "n": 12345678}}' for i in range(50))
    got = events('{"count": 1234567890, "items": [' + items + "]}")
    assert got[0] == ("member", "count", 1234567890, 1)
    assert [e[2]["reportId"] for e in got if e[0] == "item"] == [f"R{i}" for i in range(50)]
    assert [e[3] for e in got if e[0] == "item"] == list(range(1, 51))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a": 1, "a": 2}', "duplicate key"),
        ('{"a": 1} x', "extra data"),
        ('{"a": 1', "expected '}'"),
        ('{"items": [{"n": 1}, {"n": ', "line 1"),
        ("[1, 2]", "expected '{'"),
        ("", "expected '{'"),
        ('{1: 2}', "line 1"),
    ],
)
def test_malformed(text, message):
    with pytest.raises(MalformedDocument, match=message):
        events(text)


def test_invalid_utf8_is_located():
    with pytest.raises(MalformedDocument, match="UTF-8"):
        events(b'{"a": "\xff"}')


def test_byte_position_counts_bom_and_multibyte_characters():
    data = '\ufeff{"名": "王秀英", "items": [{"n": 1}]}'.encode()
    stream = JsonObjectStream(io.BytesIO(data))
    for kind, *_ in stream.events(lambda key: "stream" if key == "items" else "value"):
        if kind == "open":
            break
    assert data[stream.byte_position - 1:stream.byte_position] == b"["


def test_fields_inside_an_item_are_located_on_demand():
    text = ('{"items": [\n {"a": 1},\n {"record": {\n   "name": "王",\n   "children": [\n'
            '     {"sex": "1"},\n     {"sex": "9"}\n   ]}}\n]}')
    stream = JsonObjectStream(io.BytesIO(text.encode()))
    spans = []
    for kind, *_ in stream.events(lambda key: "stream"):
        if kind == "item":
            spans.append(stream.last_span)
    second = spans[1]
    assert second is not None and second.line == 3
    assert second.line_of("record.name") == 4
    assert second.line_of("record.children[1].sex") == 7
    assert second.line_of("record.children[1]") == 7
    assert second.line_of("record.missing") == 3  # the deepest part that exists
    assert second.line_of("record.children[5].sex") == 5
