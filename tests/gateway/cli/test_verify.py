"""``yipanqi verify`` and ``yipanqi open``: verdicts, reasons, exit codes, nothing unverified."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from gateway.envelope import STREAM_ABOVE_BYTES
from tests.gateway._support import FIXTURES
from tests.gateway.cli._run import run
from tests.gateway.envelope.test_attacks import JSON_ATTACKS, XML_ATTACKS

ENVELOPES = FIXTURES / "envelopes"
KEYS = FIXTURES / "keys"
TRUST = ["--directory", FIXTURES / "directory.json", "--root-key",
         KEYS / "410000-RKJS-root.pub.pem"]


@pytest.mark.parametrize("name", ["change-report.xml", "change-report.json",
                                  "change-report-batch.xml", "person-record-rsa.xml"])
def test_demo_envelopes_verify_with_the_directory(name):
    result = run("verify", ENVELOPES / name, *TRUST, "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["valid"] is True and report["reason"] is None
    assert {"sender", "recipient", "messageId", "messageType", "kid", "createdAt"} <= set(report)


def test_text_output():
    result = run("verify", ENVELOPES / "change-report.xml", *TRUST)
    assert result.exit_code == 0 and "valid" in result.output and "410100-RKJS" in result.output


def test_not_permitted_route():
    result = run("verify", ENVELOPES / "not-permitted-person-record.json", *TRUST,
                 "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.output) == {"valid": False, "reason": "not-permitted",
                                         "message": json.loads(result.output)["message"]}


def test_root_key_from_the_environment():
    result = run("verify", ENVELOPES / "change-report.xml", "--directory",
                 FIXTURES / "directory.json",
                 env={"YIPANQI_ROOT_KEY": str(KEYS / "410000-RKJS-root.pub.pem")})
    assert result.exit_code == 0, result.output


def test_a_directory_under_the_wrong_root_key_is_refused():
    result = run("verify", ENVELOPES / "change-report.xml", "--directory",
                 FIXTURES / "directory.json", "--root-key", KEYS / "410000-RKJS-2010.pub.pem")
    assert result.exit_code == 1 and "directory-invalid" in result.output


def test_public_key_mode():
    good = run("verify", ENVELOPES / "change-report.xml", "--public-key",
               KEYS / "410100-RKJS-2010.pub.pem")
    wrong = run("verify", ENVELOPES / "change-report.xml", "--public-key",
                KEYS / "410000-RKJS-2010.pub.pem", "--format", "json")
    assert good.exit_code == 0
    assert wrong.exit_code == 1 and json.loads(wrong.output)["reason"] == "signature-invalid"


def test_root_key_defaults_to_the_anchor_beside_the_directory(tmp_path):
    installed = run("verify", ENVELOPES / "change-report.xml", "--directory",
                    FIXTURES / "directory.json", env={"YIPANQI_ROOT_KEY": ""})
    assert installed.exit_code == 0
    lonely = tmp_path / "directory.json"
    lonely.write_bytes((FIXTURES / "directory.json").read_bytes())
    missing = run("verify", ENVELOPES / "change-report.xml", "--directory", lonely,
                  env={"YIPANQI_ROOT_KEY": ""})
    assert missing.exit_code == 2
    assert "keys/410000-RKJS-root.pub.pem" in missing.output


@pytest.mark.parametrize("args", [
    [],  # neither --directory nor --public-key
    ["--public-key", KEYS / "410100-RKJS-2010.pub.pem", "--directory", FIXTURES / "directory.json"],
    ["--public-key", FIXTURES / "directory.json"],  # not a key
    ["--public-key", KEYS / "410100-RKJS-2010.pub.pem", "--format", "yaml"],
])
def test_usage_errors(args):
    result = run("verify", ENVELOPES / "change-report.xml", *args, env={"YIPANQI_ROOT_KEY": ""})
    assert result.exit_code == 2


def test_a_missing_envelope_is_a_usage_error(tmp_path: Path):
    assert run("verify", tmp_path / "none.xml", *TRUST).exit_code == 2


ATTACKS = {**{f"xml: {k}": (v, "xml") for k, v in XML_ATTACKS.items()},
           **{f"json: {k}": (v, "json") for k, v in JSON_ATTACKS.items()}}


@pytest.mark.parametrize("attack", ATTACKS)
def test_attacks_exit_1_with_their_reason(tmp_path: Path, attack):
    """The attack suite's envelopes are signed with test keys: pin the directory-less cases."""
    (make, expected), suffix = ATTACKS[attack]
    envelope = tmp_path / f"attack.{suffix}"
    envelope.write_bytes(make())
    from tests.gateway.envelope import test_attacks

    # The suite's keys live in a generated directory: sign it with a throwaway root.
    directory, root = _signed_test_directory(tmp_path, test_attacks.DIRECTORY)
    result = run("verify", envelope, "--directory", directory, "--root-key", root,
                 "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.output)["reason"] == expected


def _signed_test_directory(tmp_path: Path, trusted) -> tuple[Path, Path]:
    from gateway.crypto import public_key_pem
    from gateway.trust import sign_directory
    from tests.gateway._support import private_key, signing_key

    directory = tmp_path / "directory.json"
    directory.write_bytes(sign_directory(trusted.directory, signing_key("cli-root")))
    root = tmp_path / "root.pub.pem"
    root.write_bytes(public_key_pem(private_key("cli-root").public_key()))
    return directory, root


@pytest.mark.parametrize("name", ["change-report.xml", "change-report.json",
                                  "change-report-batch.xml"])
def test_open_writes_the_verified_document(tmp_path: Path, name):
    out = tmp_path / "document"
    result = run("open", ENVELOPES / name, *TRUST, "-o", out)
    assert result.exit_code == 0, result.output
    verified = json.loads(run("verify", ENVELOPES / name, *TRUST, "--format",
                              "json").output)
    assert verified["messageType"].encode() in out.read_bytes()


def test_open_writes_nothing_when_refused(tmp_path: Path):
    tampered = tmp_path / "tampered.xml"
    tampered.write_bytes((ENVELOPES / "change-report.xml").read_bytes().replace(
        "王秀英".encode(), "王秀花".encode()))
    out = tmp_path / "document.xml"
    result = run("open", tampered, *TRUST, "-o", out)
    assert result.exit_code == 1 and "signature-invalid" in result.output
    assert not out.exists() and list(tmp_path.iterdir()) == [tampered]


def test_open_streams_a_large_batch(tmp_path: Path):
    from benchmarks.batchgen import write_batch

    document = tmp_path / "batch.xml"
    write_batch(document, 6_000, "xml")
    envelope = tmp_path / "batch.envelope.xml"
    signed = run("sign", document, "--key", KEYS / "410100-RKJS-2010.key.pem", "--sender",
                 "410100-RKJS", "--recipient", "410000-RKJS", "-o", envelope)
    assert signed.exit_code == 0, signed.output
    assert envelope.stat().st_size > STREAM_ABOVE_BYTES  # the streaming verifier runs
    out = tmp_path / "opened.xml"
    assert run("open", envelope, *TRUST, "-o", out).exit_code == 0
    assert out.read_bytes().startswith(b'<ChangeReportBatch xmlns="urn:yipanqi:mfp:2">')
    assert len(re.findall(rb"<(?:ns0:)?reportId>", out.read_bytes())) == 6_000
    tampered = tmp_path / "tampered.xml"
    tampered.write_bytes(envelope.read_bytes().replace(b"R2010-04-0005999", b"R2010-04-0005998"))
    assert run("open", tampered, *TRUST, "-o", tmp_path / "no.xml").exit_code == 1
    assert not (tmp_path / "no.xml").exists()


def test_sign_and_open_a_large_json_batch(tmp_path: Path):
    from benchmarks.batchgen import write_batch

    document = tmp_path / "batch.json"
    write_batch(document, 9_500, "json")
    assert document.stat().st_size > STREAM_ABOVE_BYTES  # validated, signed, verified streaming
    envelope = tmp_path / "batch.envelope.json"
    signed = run("sign", document, "--key", KEYS / "410100-RKJS-2010.key.pem", "--sender",
                 "410100-RKJS", "--recipient", "410000-RKJS", "-o", envelope)
    assert signed.exit_code == 0, signed.output
    out = tmp_path / "opened.json"
    assert run("open", envelope, *TRUST, "-o", out).exit_code == 0
    assert out.read_bytes() == document.read_bytes()
