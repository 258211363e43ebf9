"""Streaming XML envelopes: same bytes as the whole-tree path, constant memory, xmlsec1."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from benchmarks.batchgen import write_batch
from gateway.crypto import public_key_pem
from gateway.envelope import PinnedKey, sign_xml, sign_xml_stream, verify_xml, verify_xml_stream
from gateway.envelope._xmlstream import Role, canonical_pieces
from gateway.errors import DocumentMismatch, EnvelopeMalformed
from schema.artefacts import xml_schema
from schema.codes import SchemaVersion
from schema.xmlsafe import iterparse, parse_xml
from tests.gateway._support import (
    ES256,
    ROOT,
    RS256,
    document_bytes,
    header,
    private_key,
    run_xmlsec1,
    signing_key,
)

KEY = signing_key("k1")
PINNED = PinnedKey(private_key("k1").public_key())


def _stream_sign(document: bytes, message_type: str = "ChangeReport") -> bytes:
    out = io.BytesIO()
    sign_xml_stream(io.BytesIO(document), out, header(message_type), KEY,
                    schema=xml_schema(SchemaVersion.V2))
    return out.getvalue()


@pytest.mark.parametrize(("name", "message_type"), [
    ("change-report.xml", "ChangeReport"), ("change-report-batch.xml", "ChangeReportBatch")])
def test_streamed_and_whole_signing_write_the_same_signed_content(name, message_type):
    streamed = _stream_sign(document_bytes(name), message_type)
    whole = sign_xml(parse_xml(document_bytes(name)), header(message_type), KEY)
    # ECDSA is randomised: compare everything before the signature element.
    assert streamed.split(b"<ds:Signature")[0] == whole.split(b"<ds:Signature")[0]
    assert verify_xml(streamed, PINNED).document == verify_xml(whole, PINNED).document


def test_streamed_signing_refuses_a_truncated_document():
    document = document_bytes("change-report-batch.xml")
    with pytest.raises(EnvelopeMalformed, match="end"):
        _stream_sign(document[:document.rindex(b"</report>") + len(b"</report>")],
                     "ChangeReportBatch")


def test_streamed_verification_writes_the_verified_document():
    envelope = _stream_sign(document_bytes("change-report-batch.xml"), "ChangeReportBatch")
    sink = io.BytesIO()
    result = verify_xml_stream(io.BytesIO(envelope), PINNED, sink)
    assert result.document is None and result.header == header("ChangeReportBatch")
    assert sink.getvalue() == verify_xml(envelope, PINNED).document


def test_streamed_signing_refuses_a_document_the_header_does_not_announce():
    with pytest.raises(DocumentMismatch):
        _stream_sign(document_bytes("change-report.xml"), "PersonRecord")


def test_streamed_signing_validates_against_the_xsd():
    broken = document_bytes("change-report.xml").replace(b"<changeType>", b"<changeKind>", 1)
    broken = broken.replace(b"</changeType>", b"</changeKind>", 1)
    with pytest.raises(EnvelopeMalformed):
        _stream_sign(broken)


# Text, whitespace and characters that canonicalisation escapes, in every gap of a document.
_TEXT = st.text(alphabet=st.sampled_from(" \t\n\r&<>\"'a中·"), max_size=6)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
        "\r", "&#13;")


@settings(max_examples=150, deadline=None)
@given(gaps=st.lists(_TEXT, min_size=8, max_size=8), values=st.lists(_TEXT, min_size=3,
                                                                      max_size=3))
def test_canonical_pieces_equal_whole_tree_exc_c14n(gaps, values):
    g = [_escape(gap) for gap in gaps]
    v = [_escape(value) for value in values]
    xml = (f'<Envelope xmlns="urn:yipanqi:envelope:1">{g[0]}<Header><a>{v[0]}</a>{g[1]}</Header>'
           f'{g[2]}<Body>{g[3]}<Doc xmlns="urn:yipanqi:mfp:2">{g[4]}<r><x>{v[1]}</x></r>{g[5]}'
           f'<r xmlns:unused="urn:x">{v[2]}</r>{g[6]}<p:r xmlns:p="urn:yipanqi:mfp:2"><p:y>{v[1]}'
           f'</p:y></p:r></Doc>{g[7]}</Body></Envelope>').encode()

    def classify(depth: int, element: etree._Element) -> Role:
        return Role.CONTAINER if depth in (0, 2) or etree.QName(element).localname == "Body" \
            else Role.SUBTREE

    streamed = b"".join(piece.data for piece in
                        canonical_pieces(iterparse(io.BytesIO(xml)), classify))
    assert streamed == etree.tostring(parse_xml(xml), method="c14n", exclusive=True)


@pytest.fixture(scope="module")
def batch_envelope(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("batch")
    document = directory / "batch.xml"
    write_batch(document, 300, "xml")
    envelope = directory / "batch.envelope.xml"
    with document.open("rb") as source, envelope.open("wb") as out:
        sign_xml_stream(source, out, header("ChangeReportBatch"), KEY,
                        schema=xml_schema(SchemaVersion.V2))
    return envelope


def test_xmlsec1_verifies_a_streamed_batch(batch_envelope: Path, tmp_path: Path):
    pem = tmp_path / "key.pub.pem"
    pem.write_bytes(public_key_pem(private_key("k1").public_key()))
    completed = run_xmlsec1("--verify", "--pubkey-pem", pem, batch_envelope)
    assert completed.returncode == 0, completed.stderr


def test_batch_verifies_streamed_and_whole(batch_envelope: Path):
    whole = verify_xml(batch_envelope.read_bytes(), PINNED)
    sink = io.BytesIO()
    with batch_envelope.open("rb") as source:
        streamed = verify_xml_stream(source, PINNED, sink)
    assert streamed.header == whole.header
    assert sink.getvalue() == whole.document


_PEAK_RSS = """
import resource, sys
from pathlib import Path
from gateway.crypto import load_public_key
from gateway.envelope import PinnedKey, verify_xml_stream
with open(sys.argv[1], "rb") as source:
    verify_xml_stream(source, PinnedKey(load_public_key(Path(sys.argv[2]).read_bytes())))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _peak_rss_kib(envelope: Path, public_key: Path) -> int:
    """Peak resident memory of a fresh process verifying ``envelope`` (libxml2 included)."""
    completed = subprocess.run([sys.executable, "-c", _PEAK_RSS, str(envelope), str(public_key)],
                               capture_output=True, text=True, check=True, cwd=ROOT)
    return int(completed.stdout)


def _signed_batch(directory: Path, count: int) -> Path:
    document = directory / f"batch-{count}.xml"
    write_batch(document, count, "xml")
    envelope = directory / f"batch-{count}.envelope.xml"
    with document.open("rb") as source, envelope.open("wb") as out:
        sign_xml_stream(source, out, header("ChangeReportBatch"), KEY)
    return envelope


def test_streamed_verification_memory_does_not_grow_with_the_batch(tmp_path: Path):
    public_key = tmp_path / "k1.pub.pem"
    public_key.write_bytes(public_key_pem(private_key("k1").public_key()))
    small, large = _signed_batch(tmp_path, 300), _signed_batch(tmp_path, 12_000)
    assert large.stat().st_size > 18_000_000  # a kept tree would cost several times this
    growth_kib = _peak_rss_kib(large, public_key) - _peak_rss_kib(small, public_key)
    assert growth_kib < 8 * 1024, f"peak memory grew by {growth_kib} KiB"


@pytest.mark.parametrize("algorithm", [ES256, RS256])
def test_rsa_and_ecdsa_both_stream(algorithm):
    key = signing_key("k-stream", algorithm)
    out = io.BytesIO()
    sign_xml_stream(io.BytesIO(document_bytes("change-report.xml")), out, header(), key)
    pinned = PinnedKey(private_key("k-stream", algorithm).public_key())
    assert verify_xml_stream(io.BytesIO(out.getvalue()), pinned).kid == "k-stream"
