"""Streaming JWS envelopes: same verdicts as in memory, jwcrypto both ways, constant memory."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from jwcrypto import jwk, jws

from benchmarks.batchgen import write_batch
from gateway.crypto import SignatureAlgorithm, private_key_pem, public_key_pem
from gateway.envelope import (
    ENVELOPE_TYP,
    PinnedKey,
    sign_json,
    sign_json_stream,
    verify_json,
    verify_json_stream,
)
from gateway.envelope._jsonstream import DOCUMENT_HEAD_BYTES
from gateway.errors import EnvelopeMalformed, GatewayError, SignatureInvalid
from tests.gateway._support import (
    EDDSA,
    ES256,
    ROOT,
    RS256,
    document_bytes,
    header,
    private_key,
    signing_key,
)
from tests.gateway.envelope.test_attacks import DIRECTORY, JSON_ATTACKS

DOCUMENT = document_bytes("change-report-batch.json")


def _stream_sign(document: bytes, algorithm: SignatureAlgorithm = ES256,
                 message_type: str = "ChangeReportBatch") -> bytes:
    out = io.BytesIO()
    sign_json_stream(io.BytesIO(document), out, header(message_type),
                     signing_key("js", algorithm))
    return out.getvalue()


def _pinned(algorithm: SignatureAlgorithm = ES256) -> PinnedKey:
    return PinnedKey(private_key("js", algorithm).public_key())


@pytest.mark.parametrize("algorithm", [ES256, RS256, EDDSA])
def test_streamed_signature_verifies_in_memory_and_streamed(algorithm):
    envelope = _stream_sign(DOCUMENT, algorithm)
    assert verify_json(envelope, _pinned(algorithm)).document == DOCUMENT
    sink = io.BytesIO()
    result = verify_json_stream(io.BytesIO(envelope), _pinned(algorithm), sink)
    assert result.header == header("ChangeReportBatch") and sink.getvalue() == DOCUMENT


@pytest.mark.parametrize("size", [0, 1, 2, 3, 196_607, 196_608, 196_609, 500_000])
def test_every_chunk_boundary(size):
    document = b'{"type": "ChangeReportBatch", "schemaVersion": "2", "x": "' + b"a" * size + b'"}'
    envelope = _stream_sign(document)
    assert json.loads(envelope) == json.loads(sign_json(document, header("ChangeReportBatch"),
                                                        signing_key("js")))  | {
        "signature": json.loads(envelope)["signature"]}
    sink = io.BytesIO()
    verify_json_stream(io.BytesIO(envelope), _pinned(), sink)
    assert sink.getvalue() == document


@pytest.mark.parametrize("algorithm", [ES256, RS256])
def test_jwcrypto_verifies_a_streamed_envelope(algorithm):
    envelope = _stream_sign(DOCUMENT, algorithm)
    token = jws.JWS()
    token.deserialize(envelope.decode())
    token.verify(jwk.JWK.from_pem(public_key_pem(private_key("js", algorithm).public_key())),
                 alg=algorithm.value)
    assert token.payload == DOCUMENT


@pytest.mark.parametrize("order", [("protected", "payload", "signature"),
                                   ("payload", "signature", "protected"),
                                   ("signature", "protected", "payload")])
def test_we_stream_what_jwcrypto_signs_in_any_member_order(order):
    token = jws.JWS(DOCUMENT)
    protected = {"alg": "ES256", "kid": "js", "typ": ENVELOPE_TYP,
                 **header("ChangeReportBatch").to_wire()}
    token.add_signature(jwk.JWK.from_pem(private_key_pem(private_key("js"))),
                        protected=json.dumps(protected))
    members = json.loads(token.serialize())
    envelope = json.dumps({name: members[name] for name in order}, indent=2).encode()
    sink = io.BytesIO()
    assert verify_json_stream(io.BytesIO(envelope), _pinned(), sink).kid == "js"
    assert sink.getvalue() == DOCUMENT


@pytest.mark.parametrize("attack", JSON_ATTACKS)
def test_json_attack_is_refused_while_streaming(attack: str):
    make, reason = JSON_ATTACKS[attack]
    envelope = make()
    with pytest.raises(GatewayError) as caught:
        verify_json_stream(io.BytesIO(envelope), DIRECTORY, io.BytesIO())
    assert caught.value.code == reason


@pytest.mark.parametrize("envelope", [
    b'{"protected": "e30", "payload": "e30", "signature": "AA", "signature": "AA"}',
    b'{"protected": "e30", "signature": "AA"}',
    b'{"protected": "e30", "payload": "e\\u0030", "signature": "AA"}',
    b'{"protected": "e30", "payload": "e30", "signature": "AA"} {}',
    b'{"protected": "e30", "payload": "e30", "signature": "AA"',
    b'["protected"]',
])
def test_malformed_outer_objects(envelope):
    with pytest.raises(EnvelopeMalformed):
        verify_json_stream(io.BytesIO(envelope), _pinned())


def test_payload_outside_base64url():
    members = json.loads(_stream_sign(DOCUMENT))
    members["payload"] = members["payload"][:100] + "+" + members["payload"][101:]
    with pytest.raises(EnvelopeMalformed):
        verify_json_stream(io.BytesIO(json.dumps(members).encode()), _pinned())


def test_type_must_come_early():
    document = (b'{"x": "' + b"a" * DOCUMENT_HEAD_BYTES + b'", "type": "ChangeReportBatch", '
                b'"schemaVersion": "2"}')
    envelope = _stream_sign(document)
    verify_json(envelope, _pinned())  # fine in memory
    with pytest.raises(EnvelopeMalformed):
        verify_json_stream(io.BytesIO(envelope), _pinned())


def test_tampered_payload_is_refused():
    envelope = _stream_sign(DOCUMENT)
    members = json.loads(envelope)
    members["payload"] = members["payload"][:-8] + "AAAAAAAA"
    with pytest.raises(SignatureInvalid):
        verify_json_stream(io.BytesIO(json.dumps(members).encode()), _pinned())


_PEAK_RSS = """
import resource, sys
from pathlib import Path
from gateway.crypto import load_public_key
from gateway.envelope import PinnedKey, verify_json_stream
with open(sys.argv[1], "rb") as source:
    verify_json_stream(source, PinnedKey(load_public_key(Path(sys.argv[2]).read_bytes())))
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _signed_batch(directory: Path, count: int) -> Path:
    document = directory / f"batch-{count}.json"
    write_batch(document, count, "json")
    envelope = directory / f"batch-{count}.envelope.json"
    with document.open("rb") as source, envelope.open("wb") as out:
        sign_json_stream(source, out, header("ChangeReportBatch"), signing_key("js"))
    return envelope


def test_streamed_verification_memory_does_not_grow_with_the_batch(tmp_path: Path):
    public_key = tmp_path / "js.pub.pem"
    public_key.write_bytes(public_key_pem(private_key("js").public_key()))
    small, large = _signed_batch(tmp_path, 300), _signed_batch(tmp_path, 12_000)
    assert large.stat().st_size > 15_000_000

    def peak(envelope: Path) -> int:
        completed = subprocess.run([sys.executable, "-c", _PEAK_RSS, str(envelope),
                                    str(public_key)], capture_output=True, text=True,
                                   check=True, cwd=ROOT)
        return int(completed.stdout)

    growth_kib = peak(large) - peak(small)
    assert growth_kib < 8 * 1024, f"peak memory grew by {growth_kib} KiB"
