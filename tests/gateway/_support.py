"""Shared material for the gateway tests: keys, documents, a directory, xmlsec1."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

from gateway.crypto import (
    PrivateKey,
    SignatureAlgorithm,
    SigningKey,
    generate_private_key,
    public_key_pem,
)
from gateway.envelope import EnvelopeHeader
from gateway.trust import (
    Directory,
    DirectoryKey,
    DirectoryNode,
    NodeRole,
    Permission,
    TrustDirectory,
)
from schema.codes import SchemaVersion

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
DOCUMENTS = FIXTURES / "documents" / "valid"
CST = dt.timezone(dt.timedelta(hours=8))
CREATED_AT = dt.datetime(2010, 4, 7, 9, 30, tzinfo=CST)

ES256, EDDSA, RS256 = SignatureAlgorithm.ES256, SignatureAlgorithm.EDDSA, SignatureAlgorithm.RS256


def xmlsec1() -> str:
    """The xmlsec1 binary: a missing peer FAILS the interop tests, it never skips them."""
    path = shutil.which("xmlsec1")
    assert path is not None, "xmlsec1 is required for the XML-DSig interop tests"
    return path


def run_xmlsec1(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([xmlsec1(), *map(str, args)], capture_output=True, text=True,
                          timeout=120, check=False)


def private_key(name: str, algorithm: SignatureAlgorithm = ES256) -> PrivateKey:
    """One generated key per (name, algorithm), shared by the whole session."""
    return _generated(name, algorithm)


@cache
def _generated(name: str, algorithm: SignatureAlgorithm) -> PrivateKey:
    return generate_private_key(algorithm)


def signing_key(kid: str, algorithm: SignatureAlgorithm = ES256) -> SigningKey:
    return SigningKey(kid, algorithm, private_key(kid, algorithm))


def header(message_type: str = "ChangeReport", sender: str = "410100-RKJS",
           recipient: str = "410000-RKJS", **overrides: Any) -> EnvelopeHeader:
    fields: dict[str, object] = {
        "message_id": "M-0001", "message_type": message_type, "sender": sender,
        "recipient": recipient, "created_at": CREATED_AT, "schema_version": SchemaVersion.V2,
    }
    fields.update(overrides)
    return EnvelopeHeader(**fields)  # type: ignore[arg-type]


def document_bytes(name: str, version: str = "v2") -> bytes:
    return (DOCUMENTS / version / name).read_bytes()


def _key(kid: str, algorithm: SignatureAlgorithm, *, not_before: dt.datetime,
         not_after: dt.datetime, revoked: bool = False) -> DirectoryKey:
    pem = public_key_pem(private_key(kid, algorithm).public_key()).decode()
    return DirectoryKey(kid=kid, alg=algorithm, public_key=pem, not_before=not_before,
                        not_after=not_after, revoked=revoked)


def make_directory() -> TrustDirectory:
    """Three nodes; Zhengzhou has an old, a current, a revoked and an RSA key."""
    y2009, y2010, y2036 = (dt.datetime(y, 1, 1, tzinfo=CST) for y in (2009, 2010, 2036))
    zhengzhou = [
        _key("zz-2009", ES256, not_before=y2009, not_after=y2010),
        _key("zz-2010", ES256, not_before=y2010, not_after=y2036),
        _key("zz-revoked", ES256, not_before=y2009, not_after=y2036, revoked=True),
        _key("zz-rsa", RS256, not_before=y2009, not_after=y2036),
        _key("zz-ed", EDDSA, not_before=y2009, not_after=y2036),
    ]
    nodes = [
        DirectoryNode(id="410000-RKJS", name="省", role=NodeRole.PROVINCE,
                      endpoint="http://127.0.0.1:8410", accepted_schema_versions=["2"],
                      keys=[_key("prov-2010", ES256, not_before=y2009, not_after=y2036)]),
        DirectoryNode(id="410100-RKJS", name="郑州", role=NodeRole.CITY,
                      endpoint="http://127.0.0.1:8411", accepted_schema_versions=["1", "2"],
                      keys=zhengzhou),
        DirectoryNode(id="411600-RKJS", name="周口", role=NodeRole.CITY,
                      endpoint="http://127.0.0.1:8416", accepted_schema_versions=["1", "2"],
                      keys=[_key("zk-2010", ES256, not_before=y2009, not_after=y2036)]),
    ]
    permissions = [
        Permission(sender="410100-RKJS", recipient="410000-RKJS",
                   message_types=["ChangeReport", "ChangeReportBatch"]),
        Permission(sender="411600-RKJS", recipient="410000-RKJS", message_types=["ChangeReport"]),
        Permission(sender="410000-RKJS", recipient="410100-RKJS", message_types=["ChangeReport"]),
    ]
    return TrustDirectory(Directory(serial=1, issued_at=y2010, issuer="410000-RKJS",
                                    nodes=nodes, permissions=permissions))
