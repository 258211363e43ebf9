import pytest

from schema.errors import MalformedDocument
from schema.jsonsafe import decode_at, loads


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ('{"a": 1, "a": 2}', "duplicate key 'a'"),
        ('{"a": {"b": 1, "b": 1}}', "duplicate key 'b'"),
        ('{"a": NaN}', "NaN is not JSON"),
        ('{"a": Infinity}', "Infinity is not JSON"),
        ('"\\ud800"', "lone surrogate"),
        ('{"a": 1} {"b": 2}', "extra data"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"a": ', "line 1"),
        (b"\xff\xfe{}", "UTF-8"),
    ],
)
def test_refused(data, message):
    with pytest.raises(MalformedDocument, match=message):
        loads(data)


def test_accepts_bom_and_unicode():
    assert loads('\ufeff{"name": "王秀英"}'.encode()) == {"name": "王秀英"}
    assert loads('{"name": "\\u738b"}') == {"name": "王"}


def test_decode_at_reports_the_file_line():
    text = '\n\n{"a": tru}'
    with pytest.raises(MalformedDocument, match="line 13"):
        decode_at(text, 2, first_line=11)
