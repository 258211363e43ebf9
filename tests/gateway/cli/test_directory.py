"""``yipanqi directory sign | verify | show | demo``."""

from __future__ import annotations

from pathlib import Path

from gateway.trust import directory_json
from tests.gateway._support import FIXTURES, make_directory
from tests.gateway.cli._run import run

KEYS = FIXTURES / "keys"
ROOT = ["--root-key", KEYS / "410000-RKJS-root.pub.pem"]


def test_verify_and_show_the_demo_directory():
    verified = run("directory", "verify", FIXTURES / "directory.json", *ROOT)
    assert verified.exit_code == 0 and "valid" in verified.output
    shown = run("directory", "show", FIXTURES / "directory.json", *ROOT)
    assert shown.exit_code == 0
    for text in ("410100-GA", "410000-RKJS-2010", "revoked", "ChangeReportBatch"):
        assert text in shown.output


def test_sign_then_verify(tmp_path: Path):
    unsigned = tmp_path / "directory.unsigned.json"
    unsigned.write_bytes(directory_json(make_directory().directory))
    signed = tmp_path / "directory.json"
    result = run("directory", "sign", unsigned, "--key", KEYS / "410000-RKJS-root.key.pem",
                 "-o", signed)
    assert result.exit_code == 0, result.output
    assert run("directory", "verify", signed, *ROOT).exit_code == 0
    wrong_root = run("directory", "verify", signed, "--root-key",
                     KEYS / "410100-RKJS-2010.pub.pem")
    assert wrong_root.exit_code == 1 and "directory-invalid" in wrong_root.output


def test_an_invalid_directory_is_not_signed(tmp_path: Path):
    unsigned = tmp_path / "directory.unsigned.json"
    unsigned.write_text('{"serial": 0}')
    result = run("directory", "sign", unsigned, "--key", KEYS / "410000-RKJS-root.key.pem",
                 "-o", tmp_path / "out.json")
    assert result.exit_code == 1 and not (tmp_path / "out.json").exists()
    assert f"{unsigned}: directory-invalid" in " ".join(result.output.split())


def test_demo(tmp_path: Path):
    result = run("directory", "demo", "--out", tmp_path)
    assert result.exit_code == 0
    root = ["--root-key", tmp_path / "keys" / "410000-RKJS-root.pub.pem"]
    assert run("directory", "verify", tmp_path / "directory.json", *root).exit_code == 0
