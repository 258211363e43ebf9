"""sign_file: same format out as in, only valid documents, batches streamed."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from gateway.envelope import PinnedKey, sign_file, verify_envelope
from gateway.errors import AlgorithmRefused, EnvelopeMalformed
from schema.errors import DocumentInvalid, MalformedDocument, YipanqiError
from tests.gateway._support import DOCUMENTS, EDDSA, private_key, signing_key

KEY = signing_key("s1")
PINNED = PinnedKey(private_key("s1").public_key())
ROUTE = {"sender": "410100-RKJS", "recipient": "410000-RKJS"}


@pytest.mark.parametrize("version", ["v1", "v2"])
@pytest.mark.parametrize("name", ["person-record", "change-report", "change-report-batch"])
@pytest.mark.parametrize("suffix", ["xml", "json"])
def test_every_sample_document_signs(version, name, suffix):
    out = io.BytesIO()
    header = sign_file(DOCUMENTS / version / f"{name}.{suffix}", out, KEY, **ROUTE)
    result = verify_envelope(out.getvalue(), PINNED)
    assert result.header == header and result.format.value == suffix
    assert header.schema_version.value == version[1]
    assert result.document_model() is not None


def _copy(tmp_path: Path, name: str, old: bytes, new: bytes) -> Path:
    path = tmp_path / name
    data = (DOCUMENTS / "v2" / name).read_bytes()
    assert old in data
    path.write_bytes(data.replace(old, new, 1))
    return path


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_an_xml_document_in_utf16_signs_into_a_utf8_envelope(tmp_path: Path, encoding):
    path = tmp_path / "person-record.xml"
    text = (DOCUMENTS / "v2" / "person-record.xml").read_text(encoding="utf-8")
    path.write_bytes(text.replace("encoding='UTF-8'", "").encode(encoding))
    out = io.BytesIO()
    sign_file(path, out, KEY, **ROUTE)
    assert out.getvalue().startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    result = verify_envelope(out.getvalue(), PINNED)
    assert result.document_model() == verify_envelope(_signed(DOCUMENTS / "v2" /
                                                              "person-record.xml"),
                                                      PINNED).document_model()


@pytest.mark.parametrize(("name", "encoding"), [("person-record.json", "utf-16"),
                                                 ("person-record.json", "utf-16-le"),
                                                 ("person-record.xml", "utf-32")])
def test_json_in_utf16_and_xml_in_utf32_are_not_signed(tmp_path: Path, name, encoding):
    path = tmp_path / name
    path.write_bytes((DOCUMENTS / "v2" / name).read_text(encoding="utf-8").encode(encoding))
    with pytest.raises(MalformedDocument, match="UTF-"):
        sign_file(path, io.BytesIO(), KEY, **ROUTE)


def _signed(path: Path) -> bytes:
    out = io.BytesIO()
    sign_file(path, out, KEY, **ROUTE)
    return out.getvalue()


@pytest.mark.parametrize(("name", "old", "new", "error"), [
    ("change-report.xml", b"<changeType>INFLOW", b"<changeType>NOPE", DocumentInvalid),
    ("change-report.xml", b"<reportId>", b"<!-- c --><reportId>", EnvelopeMalformed),
    ("change-report.json", b'"INFLOW"', b'"NOPE"', DocumentInvalid),
    ("change-report-batch.xml", b"<batchId>", b"<batchKey>", EnvelopeMalformed),  # XSD, streamed
])
def test_invalid_documents_are_not_signed(tmp_path: Path, name, old, new, error):
    with pytest.raises(error):
        sign_file(_copy(tmp_path, name, old, new), io.BytesIO(), KEY, **ROUTE)


def test_eddsa_keys_sign_json_only():
    ed = signing_key("s-ed", EDDSA)
    sign_file(DOCUMENTS / "v2" / "change-report.json", io.BytesIO(), ed, **ROUTE)
    with pytest.raises(AlgorithmRefused):
        sign_file(DOCUMENTS / "v2" / "change-report.xml", io.BytesIO(), ed, **ROUTE)


def test_not_a_document(tmp_path: Path):
    path = tmp_path / "x.xml"
    path.write_bytes(b'<Other xmlns="urn:x"/>')
    with pytest.raises(YipanqiError):
        sign_file(path, io.BytesIO(), KEY, **ROUTE)


@pytest.fixture
def always_stream(monkeypatch: pytest.MonkeyPatch) -> None:
    from gateway.envelope import _signfile

    monkeypatch.setattr(_signfile, "STREAM_ABOVE_BYTES", 0)


@pytest.mark.usefixtures("always_stream")
def test_large_json_is_validated_then_streamed(tmp_path: Path):
    out = io.BytesIO()
    header = sign_file(DOCUMENTS / "v2" / "change-report-batch.json", out, KEY, **ROUTE)
    assert header.message_type == "ChangeReportBatch"
    assert verify_envelope(out.getvalue(), PINNED).document == (
        DOCUMENTS / "v2" / "change-report-batch.json").read_bytes()
    with pytest.raises(DocumentInvalid):
        sign_file(_copy(tmp_path, "change-report-batch.json", b'"INFLOW"', b'"NOPE"'),
                  io.BytesIO(), KEY, **ROUTE)
