"""JWS (RFC 7515) in the flattened JSON serialisation, restricted to our profile.

Only ``protected``, ``payload`` and ``signature`` members; no unprotected header, no
``crit``, no ``b64: false``; the protected header is strict JSON (duplicate keys refused)
and may hold only the names the caller allows. ``alg`` must be a
:class:`~gateway.crypto.SignatureAlgorithm`, so ``none`` and HMAC cannot even be named.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from gateway.crypto._algorithms import SignatureAlgorithm
from gateway.crypto._keys import PublicKey, SigningKey, verify_bytes
from gateway.errors import EnvelopeMalformed, SignatureInvalid, SignatureMissing
from schema.errors import MalformedDocument
from schema.jsonsafe import loads

_B64URL = re.compile(r"[A-Za-z0-9_-]*")
B64URL_BYTES = re.compile(rb"[A-Za-z0-9_-]*")
_MEMBERS = frozenset({"protected", "payload", "signature"})
#: Names every protected header has; the caller adds its own.
JOSE_NAMES = frozenset({"alg", "kid", "typ"})


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str, what: str) -> bytes:
    """Strict base64url without padding (RFC 7515 §2); :class:`EnvelopeMalformed` otherwise."""
    if not _B64URL.fullmatch(text) or len(text) % 4 == 1:
        raise EnvelopeMalformed(f"JWS {what} is not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise EnvelopeMalformed(f"JWS {what} is not base64url") from None


@dataclass(frozen=True, slots=True)
class JwsParts:
    """A parsed — not yet verified — flattened JWS."""

    header: Mapping[str, Any]
    algorithm: SignatureAlgorithm
    kid: str
    signing_input: bytes
    payload: bytes
    signature: bytes

    def verify(self, key: PublicKey) -> None:
        """:class:`SignatureInvalid` unless ``key`` signed exactly this header and payload."""
        if not verify_bytes(key, self.algorithm, self.signing_input, self.signature):
            raise SignatureInvalid("the JWS signature does not match")


def encode_protected(header: Mapping[str, Any], key: SigningKey, typ: str) -> str:
    """The base64url protected header: alg, kid and typ, then ``header``."""
    protected = {"alg": key.algorithm.value, "kid": key.kid, "typ": typ, **header}
    return b64url_encode(json.dumps(protected, ensure_ascii=False,
                                    separators=(",", ":")).encode())


def sign_flattened(payload: bytes, header: Mapping[str, Any], key: SigningKey,
                   typ: str) -> bytes:
    """The flattened JWS of ``payload``; ``header`` joins alg, kid, typ when protected."""
    protected_b64 = encode_protected(header, key, typ)
    payload_b64 = b64url_encode(payload)
    signature = key.sign(f"{protected_b64}.{payload_b64}".encode("ascii"))
    # base64url needs no JSON escaping: the bytes of json.dumps(jws, indent=1) + "\n"
    return (f'{{\n "protected": "{protected_b64}",\n "payload": "{payload_b64}",\n'
            f' "signature": "{b64url_encode(signature)}"\n}}\n').encode("ascii")


def _strict_json(data: bytes | str, what: str) -> Any:
    try:
        return loads(data)
    except MalformedDocument as exc:
        raise EnvelopeMalformed(f"JWS {what}: {exc.message}") from None


def _members(data: bytes) -> dict[str, str]:
    outer = _strict_json(data, "serialisation")
    if isinstance(outer, dict) and set(outer) == _MEMBERS - {"signature"}:
        raise SignatureMissing("the JWS is not signed: it has no signature member")
    if not isinstance(outer, dict) or set(outer) != _MEMBERS:
        raise EnvelopeMalformed('a JWS must be exactly {"protected", "payload", "signature"}')
    if not all(isinstance(value, str) for value in outer.values()):
        raise EnvelopeMalformed("JWS members must be strings")
    return outer


def _protected_header(protected_b64: str) -> dict[str, Any]:
    header = _strict_json(b64url_decode(protected_b64, "protected header"), "protected header")
    if not isinstance(header, dict):
        raise EnvelopeMalformed("the JWS protected header must be a JSON object")
    return header


def _check_profile(header: dict[str, Any], typ: str, allowed: Collection[str]) -> str:
    """The kid, once the header holds only accepted names and the right typ."""
    unknown = sorted(set(header) - JOSE_NAMES - set(allowed))
    if unknown:  # crit, b64, jku, x5u, ... : extensions we do not implement are refused
        raise EnvelopeMalformed(f"JWS header parameters not accepted: {', '.join(unknown)}")
    if header.get("typ") != typ:
        raise EnvelopeMalformed(f"JWS typ must be {typ!r}, not {header.get('typ')!r}")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise EnvelopeMalformed("the JWS protected header needs a kid")
    return kid


def parse_protected(protected_b64: str, typ: str, allowed: Collection[str]) -> tuple[
        dict[str, Any], SignatureAlgorithm, str]:
    """Header, algorithm and kid of a base64url protected header, profile-checked."""
    header = _protected_header(protected_b64)
    # The algorithm first: "none" or "HS256" is refused as such, whatever else is wrong.
    algorithm = SignatureAlgorithm.from_jose(header.get("alg"))
    return header, algorithm, _check_profile(header, typ, allowed)


def parse_flattened(data: bytes, *, typ: str, allowed: Collection[str]) -> JwsParts:
    """Parse and profile-check a flattened JWS; :meth:`JwsParts.verify` checks it."""
    members = _members(data)
    header, algorithm, kid = parse_protected(members["protected"], typ, allowed)
    return JwsParts(
        header=header,
        algorithm=algorithm,
        kid=kid,
        signing_input=f"{members['protected']}.{members['payload']}".encode("ascii"),
        payload=b64url_decode(members["payload"], "payload"),
        signature=b64url_decode(members["signature"], "signature"),
    )
