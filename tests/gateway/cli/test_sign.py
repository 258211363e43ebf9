"""``yipanqi sign``: same-format envelopes, any of our or openssl's keys."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gateway.crypto import load_public_key
from gateway.envelope import PinnedKey, verify_file
from tests.gateway._support import DOCUMENTS, FIXTURES, run_xmlsec1
from tests.gateway.cli._run import run

KEYS = FIXTURES / "keys"
ROUTE = ["--sender", "410100-RKJS", "--recipient", "410000-RKJS"]


def _pinned(kid: str) -> PinnedKey:
    return PinnedKey(load_public_key((KEYS / f"{kid}.pub.pem").read_bytes()))


@pytest.mark.parametrize("name", ["change-report.xml", "change-report.json",
                                  "change-report-batch.xml", "change-report-batch.json",
                                  "person-record.xml"])
def test_sign_each_format(tmp_path: Path, name: str):
    out = tmp_path / "envelope"
    result = run("sign", DOCUMENTS / "v2" / name, "--key", KEYS / "410100-RKJS-2010.key.pem",
                 *ROUTE, "-o", out, "--message-id", "M-1", "--conversation-id", "C-1")
    assert result.exit_code == 0, result.output
    verified = verify_file(out, _pinned("410100-RKJS-2010"))
    assert verified.kid == "410100-RKJS-2010"  # from the key file name
    assert verified.format.value == name.rsplit(".", 1)[1]
    assert verified.header.message_id == "M-1" and verified.header.conversation_id == "C-1"


OPENSSL = {
    "ec-pkcs8": [["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]],
    "ec-traditional": [["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
                       ["ec"]],
    "rsa-traditional": [["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
                        ["rsa", "-traditional"]],
    "ed25519": [["genpkey", "-algorithm", "Ed25519"]],
}


@pytest.mark.parametrize("kind", OPENSSL)
def test_openssl_keys_sign(tmp_path: Path, kind: str):
    key = tmp_path / "key.pem"
    pem = b""
    for step in OPENSSL[kind]:
        pem = subprocess.run(["openssl", *step], input=pem or None, capture_output=True,
                             check=True).stdout
    key.write_bytes(pem)
    public = tmp_path / "key.pub.pem"
    public.write_bytes(subprocess.run(["openssl", "pkey", "-pubout", "-in", key],
                                      capture_output=True, check=True).stdout)
    pinned = PinnedKey(load_public_key(public.read_bytes()))
    document = "change-report.json" if kind == "ed25519" else "change-report.xml"
    out = tmp_path / "envelope"
    result = run("sign", DOCUMENTS / "v2" / document, "--key", key, "--kid", "mine", *ROUTE,
                 "-o", out)
    assert result.exit_code == 0, result.output
    assert verify_file(out, pinned).kid == "mine"
    if document.endswith(".xml"):
        assert run_xmlsec1("--verify", "--pubkey-pem", public, out).returncode == 0


def test_eddsa_cannot_sign_xml(tmp_path: Path):
    result = run("sign", DOCUMENTS / "v2" / "change-report.xml", "--key",
                 KEYS / "410100-GA-2010-ed25519.key.pem", *ROUTE, "-o", tmp_path / "e")
    assert result.exit_code == 2 and not (tmp_path / "e").exists()


def test_an_invalid_document_is_not_signed(tmp_path: Path):
    broken = tmp_path / "broken.xml"
    broken.write_bytes((DOCUMENTS / "v2" / "change-report.xml").read_bytes().replace(
        b"<changeType>INFLOW", b"<changeType>NOPE"))
    result = run("sign", broken, "--key", KEYS / "410100-RKJS-2010.key.pem", *ROUTE,
                 "-o", tmp_path / "e")
    assert result.exit_code == 1 and "invalid" in result.output
    assert not (tmp_path / "e").exists()


@pytest.mark.parametrize("args", [
    ["--sender", "4101-RKJS", "--recipient", "410000-RKJS"],
    ["--sender", "410100-RKJS"],
    [*ROUTE, "--created-at", "yesterday"],
    [*ROUTE, "--kid", "k\x01"],
    [*ROUTE, "--kid", ""],
    [*ROUTE, "--kid", "k" * 129],
    [*ROUTE, "--message-id", ""],
    [*ROUTE, "--ref-to-message-id", ""],
])
def test_usage_errors(tmp_path: Path, args):
    result = run("sign", DOCUMENTS / "v2" / "change-report.xml", "--key",
                 KEYS / "410100-RKJS-2010.key.pem", *args, "-o", tmp_path / "e")
    assert result.exit_code == 2
    assert not (tmp_path / "e").exists()


def test_a_key_file_of_endless_bytes_is_refused_unread(tmp_path: Path):
    result = run("sign", DOCUMENTS / "v2" / "change-report.xml", "--key", "/dev/zero", *ROUTE)
    assert result.exit_code == 2 and "larger than 65536 bytes" in result.output


def test_a_missing_key_file_is_a_usage_error(tmp_path: Path):
    result = run("sign", DOCUMENTS / "v2" / "change-report.xml", "--key", tmp_path / "nope.pem",
                 *ROUTE)
    assert result.exit_code == 2


@pytest.mark.parametrize("given", ["-", "/dev/stdin"])
@pytest.mark.parametrize("name", ["change-report.xml", "change-report.json"])
def test_a_document_from_a_pipe_is_signed(tmp_path: Path, given: str, name: str):
    envelope = tmp_path / "e"
    done = subprocess.run(
        [sys.executable, "-c", "from gateway.cli import main; main()", "sign", given, "--key",
         str(KEYS / "410100-RKJS-2010.key.pem"), *ROUTE, "-o", str(envelope)],
        input=(DOCUMENTS / "v2" / name).read_bytes(), capture_output=True, timeout=120,
        check=False)
    assert done.returncode == 0, done.stderr
    assert verify_file(envelope, _pinned("410100-RKJS-2010")).header.sender == "410100-RKJS"
