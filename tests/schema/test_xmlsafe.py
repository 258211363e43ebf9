import io

import pytest

from schema.errors import MalformedDocument
from schema.xmlsafe import MAX_DOCUMENT_BYTES, iterparse, parse_xml

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<lolz>&lol3;</lolz>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>"""
PLAIN_DTD = b"""<?xml version="1.0"?><!DOCTYPE foo SYSTEM "foo.dtd"><foo/>"""
HOSTILE = [BOMB, XXE, PLAIN_DTD]


@pytest.mark.parametrize("data", HOSTILE)
def test_whole_parse_refuses_any_dtd(data):
    with pytest.raises(MalformedDocument, match="DTD"):
        parse_xml(data)


@pytest.mark.parametrize("data", HOSTILE)
def test_streaming_parse_refuses_any_dtd(data):
    with pytest.raises(MalformedDocument, match="DTD"):
        list(iterparse(io.BytesIO(data)))


def test_not_well_formed_is_located():
    with pytest.raises(MalformedDocument, match="line 2"):
        parse_xml(b"<a>\n<b></a>")


@pytest.mark.parametrize("data", [b"", b"\x00\x01\x02garbage", b"<a>&undefined;</a>"])
def test_garbage_is_malformed(data):
    with pytest.raises(MalformedDocument):
        parse_xml(data)


def test_declared_gb18030_is_honoured():
    data = '<?xml version="1.0" encoding="GB18030"?><name>王秀英·阿依古丽</name>'.encode("gb18030")
    assert parse_xml(data).text == "王秀英·阿依古丽"


def test_oversized_document_is_refused_before_parsing():
    with pytest.raises(MalformedDocument, match="larger than"):
        parse_xml(b" " * (MAX_DOCUMENT_BYTES + 1))
