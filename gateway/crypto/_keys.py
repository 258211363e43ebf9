"""Key files and the raw sign/verify primitives, one place for every algorithm.

ECDSA signatures travel as the raw ``r || s`` pair (RFC 7518 §3.4 for JWS, RFC 4050 /
RFC 6931 for XML-DSig), never as DER. Every signature is deterministic (ECDSA per RFC 6979;
Ed25519 and RSA PKCS#1 v1.5 are by nature): the same key and bytes give the same signature,
so a receipt re-signed from its stored row is byte for byte the one first sent. Keys must
match their algorithm: P-256 for ES256, Ed25519 for EdDSA, RSA of at least 2048 bits for RS256.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    Prehashed,
    decode_dss_signature,
    encode_dss_signature,
)

from gateway.crypto._algorithms import SignatureAlgorithm
from gateway.errors import AlgorithmRefused, KeyFileError

PrivateKey: TypeAlias = ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey
PublicKey: TypeAlias = ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey | rsa.RSAPublicKey

MIN_RSA_BITS = 2048
_P256_BYTES = 32


@dataclass(frozen=True, slots=True)
class SigningKey:
    """A private key with its key id and the algorithm it signs with."""

    kid: str
    algorithm: SignatureAlgorithm
    private_key: PrivateKey

    def sign(self, data: bytes) -> bytes:
        return sign_bytes(self.private_key, self.algorithm, data)

    def sign_digest(self, digest: bytes) -> bytes:
        """Sign a SHA-256 digest computed elsewhere (streaming); not possible for EdDSA."""
        return sign_prehashed(self.private_key, self.algorithm, digest)


def algorithm_for_key(key: PrivateKey | PublicKey) -> SignatureAlgorithm:
    """The one algorithm a key is used with; :class:`KeyFileError` for other kinds of key."""
    if isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey):
        if not isinstance(key.curve, ec.SECP256R1):
            raise KeyFileError(f"EC keys must be on P-256, not {key.curve.name}")
        return SignatureAlgorithm.ES256
    if isinstance(key, ed25519.Ed25519PrivateKey | ed25519.Ed25519PublicKey):
        return SignatureAlgorithm.EDDSA
    if isinstance(key, rsa.RSAPrivateKey | rsa.RSAPublicKey):
        if key.key_size < MIN_RSA_BITS:
            raise KeyFileError(f"RSA keys need at least {MIN_RSA_BITS} bits, not {key.key_size}")
        return SignatureAlgorithm.RS256
    raise KeyFileError(f"{type(key).__name__} keys are not used here")


def load_private_key(pem: bytes) -> PrivateKey:
    """A private key from PEM: PKCS#8 or the traditional (SEC1, PKCS#1) forms, unencrypted."""
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise KeyFileError(f"not a usable unencrypted private key PEM: {exc}") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey
                      | rsa.RSAPrivateKey):
        raise KeyFileError(f"{type(key).__name__} keys are not used here")
    algorithm_for_key(key)
    return key


def load_public_key(pem: bytes) -> PublicKey:
    """A public key from a SubjectPublicKeyInfo PEM (a private key PEM is accepted too)."""
    if b"PRIVATE KEY" in pem:
        return load_private_key(pem).public_key()
    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise KeyFileError(f"not a usable public key PEM: {exc}") from None
    if not isinstance(key, ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey
                      | rsa.RSAPublicKey):
        raise KeyFileError(f"{type(key).__name__} keys are not used here")
    algorithm_for_key(key)
    return key


def generate_private_key(algorithm: SignatureAlgorithm) -> PrivateKey:
    if algorithm is SignatureAlgorithm.ES256:
        return ec.generate_private_key(ec.SECP256R1())
    if algorithm is SignatureAlgorithm.EDDSA:
        return ed25519.Ed25519PrivateKey.generate()
    return rsa.generate_private_key(public_exponent=65537, key_size=MIN_RSA_BITS)


def private_key_pem(key: PrivateKey) -> bytes:
    """PKCS#8, unencrypted: what ``openssl genpkey`` writes."""
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def public_key_pem(key: PublicKey) -> bytes:
    """SubjectPublicKeyInfo PEM."""
    return key.public_bytes(serialization.Encoding.PEM,
                               serialization.PublicFormat.SubjectPublicKeyInfo)


def _raw_ecdsa(der: bytes) -> bytes:
    r, s = decode_dss_signature(der)
    return r.to_bytes(_P256_BYTES, "big") + s.to_bytes(_P256_BYTES, "big")


def _der_ecdsa(raw: bytes) -> bytes | None:
    if len(raw) != 2 * _P256_BYTES:
        return None
    return encode_dss_signature(int.from_bytes(raw[:_P256_BYTES], "big"),
                                int.from_bytes(raw[_P256_BYTES:], "big"))


def _key_fits(key: PrivateKey | PublicKey, algorithm: SignatureAlgorithm) -> None:
    if algorithm_for_key(key) is not algorithm:
        raise AlgorithmRefused(f"a {algorithm_for_key(key).value} key cannot be used "
                               f"with {algorithm.value}")


def sign_bytes(key: PrivateKey, algorithm: SignatureAlgorithm, data: bytes) -> bytes:
    _key_fits(key, algorithm)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return _raw_ecdsa(key.sign(data, ec.ECDSA(hashes.SHA256(),
                                                  deterministic_signing=True)))
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    return key.sign(data)


def sign_prehashed(key: PrivateKey, algorithm: SignatureAlgorithm, digest: bytes) -> bytes:
    _key_fits(key, algorithm)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return _raw_ecdsa(key.sign(digest, ec.ECDSA(Prehashed(hashes.SHA256()),
                                                    deterministic_signing=True)))
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(digest, padding.PKCS1v15(), Prehashed(hashes.SHA256()))
    raise AlgorithmRefused("EdDSA signs the whole message and cannot sign a digest")


def verify_bytes(key: PublicKey, algorithm: SignatureAlgorithm, data: bytes,
                 signature: bytes, *, prehashed: bool = False) -> bool:
    """Whether ``signature`` is ``key``'s signature of ``data`` (or of its SHA-256 digest)."""
    _key_fits(key, algorithm)
    hash_algorithm: hashes.HashAlgorithm | Prehashed = (
        Prehashed(hashes.SHA256()) if prehashed else hashes.SHA256()
    )
    try:
        if isinstance(key, ec.EllipticCurvePublicKey):
            der = _der_ecdsa(signature)
            if der is None:
                return False
            key.verify(der, data, ec.ECDSA(hash_algorithm))
        elif isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, data, padding.PKCS1v15(), hash_algorithm)
        elif prehashed:
            raise AlgorithmRefused("EdDSA cannot verify a digest")
        else:
            key.verify(signature, data)
    except InvalidSignature:
        return False
    return True
