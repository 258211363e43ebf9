"""Envelope signing and verification speed, against the floor and against reference tools.

    python -m benchmarks.envelope                # ~1 KB reports + a 100,000-report batch
    python -m benchmarks.envelope --reports 20000 --seconds 1

Single documents (~1.3 KB canonical ChangeReport): sign and verify per second for XML
(ES256) and JWS (ES256, EdDSA). The floor is the raw ``cryptography`` primitive plus the
canonicalisation the format needs, on the same bytes: for XML, parse + exc-C14N of the
envelope and of SignedInfo + SHA-256 + ECDSA; for JWS, base64url + the signature
primitive. References in the same run: signxml's verifier (XML), jwcrypto (JWS).

Batch: a ChangeReportBatch envelope signed and verified while streaming, against plain
validation of the same document: lxml ``iterparse`` with the v2 XSD. The same batch as a
JWS, against a strict streaming read of the JSON document.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import hashlib
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.x509.oid import NameOID
from jwcrypto import jwk, jws
from lxml import etree
from signxml.verifier import XMLVerifier

from benchmarks.batchgen import reports, write_batch
from gateway.crypto import SignatureAlgorithm, SigningKey, b64url_decode, private_key_pem
from gateway.envelope import (
    EnvelopeHeader,
    PinnedKey,
    sign_json,
    sign_json_stream,
    sign_xml,
    sign_xml_stream,
    verify_json,
    verify_json_stream,
    verify_xml,
    verify_xml_stream,
)
from schema.artefacts import xml_schema
from schema.codes import SchemaVersion
from schema.jsoncodec import dumps_json
from schema.jsonstream import JsonObjectStream
from schema.xmlcodec import to_element
from schema.xmlsafe import iterparse, parse_xml

CST = dt.timezone(dt.timedelta(hours=8))
HEADER = EnvelopeHeader("M-0001", "ChangeReport", "410100-RKJS", "410000-RKJS",
                        dt.datetime(2010, 4, 7, 9, 30, tzinfo=CST), SchemaVersion.V2)


def rate(work: Callable[[], object], seconds: float) -> float:
    """Operations per second of ``work`` over about ``seconds``."""
    work()  # warm caches
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for _ in range(50):
            work()
        count += 50
    return count / elapsed


def row(name: str, ours: float, floor: float, reference: float | None = None,
        reference_name: str = "") -> None:
    ref = f"{reference:>9,.0f}/s {reference_name}" if reference else ""
    print(f"  {name:<22}{ours:>9,.0f}/s   floor {floor:>9,.0f}/s   "
          f"ours/floor time {floor / ours:4.2f}x   {ref}")


def self_signed(key: ec.EllipticCurvePrivateKey) -> x509.Certificate:
    """signxml wants a certificate: wrap the same public key in one."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "benchmark")])
    start = dt.datetime(2009, 1, 1, tzinfo=dt.UTC)
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1).not_valid_before(start)
            .not_valid_after(start.replace(year=2040)).sign(key, hashes.SHA256()))


def xml_floor_verify(envelope: bytes, key: ec.EllipticCurvePublicKey) -> Callable[[], object]:
    signature_der = {}

    def work() -> object:
        root = parse_xml(envelope)
        signature = root[-1]
        root.remove(signature)
        hashlib.sha256(etree.tostring(root, method="c14n", exclusive=True)).digest()
        signed_info = etree.tostring(signature[0], method="c14n", exclusive=True)
        if "der" not in signature_der:  # decoding the value is not part of the floor
            raw = base64.b64decode("".join((signature[1].text or "").split()))
            signature_der["der"] = encode_dss_signature(int.from_bytes(raw[:32], "big"),
                                                        int.from_bytes(raw[32:], "big"))
        key.verify(signature_der["der"], signed_info, ec.ECDSA(hashes.SHA256()))
        return None

    return work


def bench_xml(seconds: float) -> None:
    private = ec.generate_private_key(ec.SECP256R1())
    key = SigningKey("bench", SignatureAlgorithm.ES256, private)
    document = to_element(next(reports(1)))
    envelope = sign_xml(document, HEADER, key)
    pinned = PinnedKey(private.public_key())
    size = len(etree.tostring(document, method="c14n", exclusive=True))
    print(f"XML envelope, ES256 ({size} B document, {len(envelope)} B envelope)")
    signed_info_size = b"x" * 900

    def floor_sign() -> object:
        hashlib.sha256(etree.tostring(document, method="c14n", exclusive=True)).digest()
        return private.sign(signed_info_size, ec.ECDSA(hashes.SHA256()))

    row("sign", rate(lambda: sign_xml(document, HEADER, key), seconds),
        rate(floor_sign, seconds))
    certificate = self_signed(private)
    row("verify", rate(lambda: verify_xml(envelope, pinned), seconds),
        rate(xml_floor_verify(envelope, private.public_key()), seconds),
        rate(lambda: XMLVerifier().verify(envelope, x509_cert=certificate), seconds),
        "signxml")


def bench_jws(algorithm: SignatureAlgorithm, seconds: float) -> None:
    private: ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey = (
        ec.generate_private_key(ec.SECP256R1()) if algorithm is SignatureAlgorithm.ES256
        else ed25519.Ed25519PrivateKey.generate())
    key = SigningKey("bench", algorithm, private)
    document = dumps_json(next(reports(1)), indent=None)
    envelope = sign_json(document, HEADER, key)
    pinned = PinnedKey(private.public_key())
    print(f"JWS envelope, {algorithm.value} ({len(document)} B document, "
          f"{len(envelope)} B envelope)")
    public = private.public_key()
    protected, payload, signature = (part.split(b'"')[3] for part in envelope.split(b"\n")[1:4])
    signing_input = protected + b"." + payload
    raw_signature = b64url_decode(signature.decode(), "signature")
    if isinstance(public, ec.EllipticCurvePublicKey):
        der = encode_dss_signature(int.from_bytes(raw_signature[:32], "big"),
                                   int.from_bytes(raw_signature[32:], "big"))

        def floor_verify() -> object:
            b64url_decode(payload.decode(), "payload")
            public.verify(der, signing_input, ec.ECDSA(hashes.SHA256()))
            return None
    else:
        def floor_verify() -> object:
            b64url_decode(payload.decode(), "payload")
            public.verify(raw_signature, signing_input)
            return None

    def floor_sign() -> object:
        encoded = base64.urlsafe_b64encode(document)
        return key.sign(b"header." + encoded)

    row("sign", rate(lambda: sign_json(document, HEADER, key), seconds), rate(floor_sign, seconds))
    jwk_key = jwk.JWK.from_pem(private_key_pem(private))
    text = envelope.decode()

    def jwcrypto_verify() -> object:
        token = jws.JWS()
        token.deserialize(text)
        token.verify(jwk_key, alg=algorithm.value)
        return None

    row("verify", rate(lambda: verify_json(envelope, pinned), seconds),
        rate(floor_verify, seconds), rate(jwcrypto_verify, seconds), "jwcrypto")


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def plain_validation(path: Path) -> None:
    """The reference: a streaming parse with the v2 XSD, clearing as it goes."""
    with path.open("rb") as source:
        for _, element in iterparse(source, events=("end",), schema=xml_schema(SchemaVersion.V2)):
            parent = element.getparent()
            if element.tag == "{urn:yipanqi:mfp:2}report" and parent is not None:
                element.clear(keep_tail=True)
                while element.getprevious() is not None:
                    del parent[0]


def bench_batch(count: int, directory: Path) -> None:
    private = ec.generate_private_key(ec.SECP256R1())
    key = SigningKey("bench", SignatureAlgorithm.ES256, private)
    pinned = PinnedKey(private.public_key())
    document, envelope = directory / "batch.xml", directory / "batch.envelope.xml"
    write_batch(document, count, "xml")
    header = EnvelopeHeader("M-0002", "ChangeReportBatch", "410100-RKJS", "410000-RKJS",
                            HEADER.created_at, SchemaVersion.V2)

    def sign() -> None:
        with document.open("rb") as source, envelope.open("wb") as out:
            sign_xml_stream(source, out, header, key)

    def verify() -> None:
        with envelope.open("rb") as source:
            verify_xml_stream(source, pinned)

    print(f"Batch envelope, ES256, {count:,} reports ({document.stat().st_size / 1e6:,.0f} MB)")
    sign_seconds = timed(sign)
    plain_seconds = timed(lambda: plain_validation(document))
    verify_seconds = timed(verify)
    print(f"  sign (streaming)       {sign_seconds:7.2f} s")
    print(f"  plain validation       {plain_seconds:7.2f} s   (lxml iterparse + v2 XSD)")
    print(f"  verify (streaming)     {verify_seconds:7.2f} s   "
          f"verify/validation {verify_seconds / plain_seconds:4.2f}x")


def strict_json_read(path: Path) -> None:
    """The reference for JSON: a strict streaming read of every report (schema.jsonstream)."""
    with path.open("rb") as source:
        for _ in JsonObjectStream(source).events(lambda key: "stream" if key == "reports"
                                                 else "value"):
            pass


def bench_json_batch(count: int, directory: Path) -> None:
    private = ec.generate_private_key(ec.SECP256R1())
    key = SigningKey("bench", SignatureAlgorithm.ES256, private)
    pinned = PinnedKey(private.public_key())
    document, envelope = directory / "batch.json", directory / "batch.envelope.json"
    write_batch(document, count, "json")
    header = EnvelopeHeader("M-0003", "ChangeReportBatch", "410100-RKJS", "410000-RKJS",
                            HEADER.created_at, SchemaVersion.V2)

    def sign() -> None:
        with document.open("rb") as source, envelope.open("wb") as out:
            sign_json_stream(source, out, header, key)

    def verify() -> None:
        with envelope.open("rb") as source:
            verify_json_stream(source, pinned, None)

    print(f"JWS batch envelope, ES256, {count:,} reports "
          f"({document.stat().st_size / 1e6:,.0f} MB)")
    print(f"  sign (streaming)       {timed(sign):7.2f} s")
    read_seconds = timed(lambda: strict_json_read(document))
    verify_seconds = timed(verify)
    print(f"  strict JSON read       {read_seconds:7.2f} s   (schema.jsonstream, every report)")
    print(f"  verify (streaming)     {verify_seconds:7.2f} s   "
          f"verify/read {verify_seconds / read_seconds:4.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=2.0, help="per measured rate")
    parser.add_argument("--reports", type=int, default=100_000, help="batch size (0: skip)")
    args = parser.parse_args()
    print(f"one process, one core ({os.cpu_count()} available)\n")
    bench_xml(args.seconds)
    bench_jws(SignatureAlgorithm.ES256, args.seconds)
    bench_jws(SignatureAlgorithm.EDDSA, args.seconds)
    if args.reports:
        with tempfile.TemporaryDirectory() as directory:
            bench_batch(args.reports, Path(directory))
            bench_json_batch(args.reports, Path(directory))


if __name__ == "__main__":
    main()
