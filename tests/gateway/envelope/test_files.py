"""Envelope files: small ones in memory, big XML ones streamed — same verdicts."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from gateway.envelope import PinnedKey, sign_xml, verify_file
from gateway.envelope import _files as files
from gateway.errors import SignatureInvalid
from schema.xmlsafe import parse_xml
from tests.gateway._support import document_bytes, header, private_key, signing_key

PINNED = PinnedKey(private_key("f1").public_key())


@pytest.fixture(params=[True, False], ids=["streamed", "in-memory"])
def streamed(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    monkeypatch.setattr(files, "STREAM_ABOVE_BYTES", 0 if request.param else 1 << 30)
    return bool(request.param)


def _envelope(tmp_path: Path, data: bytes | None = None) -> Path:
    path = tmp_path / "envelope.xml"
    path.write_bytes(data or sign_xml(parse_xml(document_bytes("change-report.xml")), header(),
                                      signing_key("f1")))
    return path


def test_verify_file_writes_the_document_to_the_sink(tmp_path: Path, streamed: bool):
    sink = io.BytesIO()
    result = verify_file(_envelope(tmp_path), PINNED, sink)
    assert result.header == header()
    assert sink.getvalue().startswith(b'<ChangeReport xmlns="urn:yipanqi:mfp:2">')
    assert (result.document is None) is streamed


def test_verify_file_refuses_tampering(tmp_path: Path, streamed: bool):
    envelope = _envelope(tmp_path)
    envelope.write_bytes(envelope.read_bytes().replace("王秀英".encode(), "王秀花".encode()))
    with pytest.raises(SignatureInvalid):
        verify_file(envelope, PINNED, io.BytesIO())
