"""Keys: openssl-made keys load (PKCS#8 and traditional), kinds and sizes are checked."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from gateway.crypto import (
    SignatureAlgorithm,
    algorithm_for_key,
    generate_private_key,
    load_private_key,
    load_public_key,
    private_key_pem,
    public_key_pem,
    sign_bytes,
    sign_prehashed,
    verify_bytes,
    write_key_pair,
)
from gateway.errors import AlgorithmRefused, KeyFileError

OPENSSL_KEYS = {
    "ES256": (["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
              ["ec"], SignatureAlgorithm.ES256),
    "EdDSA": (["genpkey", "-algorithm", "Ed25519"], None, SignatureAlgorithm.EDDSA),
    "RS256": (["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
              ["rsa", "-traditional"], SignatureAlgorithm.RS256),
}


def _openssl(*args: str | Path) -> bytes:
    return subprocess.run(["openssl", *map(str, args)], capture_output=True, check=True).stdout


@pytest.mark.parametrize("name", OPENSSL_KEYS)
def test_openssl_keys_load(tmp_path: Path, name: str):
    generate, traditional, algorithm = OPENSSL_KEYS[name]
    pkcs8 = tmp_path / "key.pem"
    pkcs8.write_bytes(_openssl(*generate))
    forms = [pkcs8.read_bytes()]
    if traditional:
        forms.append(_openssl(*traditional, "-in", pkcs8))
        assert b"BEGIN PRIVATE KEY" not in forms[-1]
    public = load_public_key(_openssl("pkey", "-in", pkcs8, "-pubout"))
    for pem in forms:
        key = load_private_key(pem)
        assert algorithm_for_key(key) is algorithm
        signature = sign_bytes(key, algorithm, b"data")
        assert verify_bytes(public, algorithm, b"data", signature)


def test_ecdsa_signatures_are_raw_r_s():
    key = generate_private_key(SignatureAlgorithm.ES256)
    assert len(sign_bytes(key, SignatureAlgorithm.ES256, b"x")) == 64


def test_prehashed_signatures_verify_as_ordinary_ones():
    import hashlib

    for algorithm in (SignatureAlgorithm.ES256, SignatureAlgorithm.RS256):
        key = generate_private_key(algorithm)
        signature = sign_prehashed(key, algorithm, hashlib.sha256(b"data").digest())
        assert verify_bytes(key.public_key(), algorithm, b"data", signature)


def test_eddsa_cannot_sign_a_digest():
    with pytest.raises(AlgorithmRefused):
        sign_prehashed(generate_private_key(SignatureAlgorithm.EDDSA),
                       SignatureAlgorithm.EDDSA, b"0" * 32)


@pytest.mark.parametrize("key", [ec.generate_private_key(ec.SECP384R1()),
                                 rsa.generate_private_key(65537, 1024)])
def test_weak_or_foreign_keys_are_refused(key):
    with pytest.raises(KeyFileError):
        load_private_key(private_key_pem(key))


def test_garbage_is_a_key_file_error():
    with pytest.raises(KeyFileError):
        load_private_key(b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
    with pytest.raises(KeyFileError):
        load_public_key(b"not a key")


def test_a_key_is_used_only_with_its_algorithm():
    key = generate_private_key(SignatureAlgorithm.ES256)
    with pytest.raises(AlgorithmRefused):
        sign_bytes(key, SignatureAlgorithm.RS256, b"x")


def test_write_key_pair_modes(tmp_path: Path):
    key = generate_private_key(SignatureAlgorithm.ES256)
    private_path, public_path = write_key_pair(tmp_path, "k", key)
    assert private_path.stat().st_mode & 0o777 == 0o600
    assert load_public_key(public_path.read_bytes()) is not None
    assert public_path.read_bytes() == public_key_pem(key.public_key())
    with pytest.raises(FileExistsError):
        write_key_pair(tmp_path, "k", key)
