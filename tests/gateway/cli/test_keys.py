"""``yipanqi keys generate``."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.crypto import SignatureAlgorithm, algorithm_for_key, load_private_key, load_public_key
from tests.gateway.cli._run import run


@pytest.mark.parametrize("alg", ["ES256", "EdDSA", "RS256"])
def test_generate(tmp_path: Path, alg: str):
    result = run("keys", "generate", "--kid", "410100-RKJS-2026", "--alg", alg, "--out", tmp_path)
    assert result.exit_code == 0, result.output
    private_path = tmp_path / "410100-RKJS-2026.key.pem"
    assert private_path.stat().st_mode & 0o777 == 0o600
    assert private_path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")  # PKCS#8
    key = load_private_key(private_path.read_bytes())
    assert algorithm_for_key(key) is SignatureAlgorithm(alg)
    assert load_public_key((tmp_path / "410100-RKJS-2026.pub.pem").read_bytes()) == \
        key.public_key()


def test_default_is_es256_and_no_silent_overwrite(tmp_path: Path):
    assert run("keys", "generate", "--kid", "k", "--out", tmp_path).exit_code == 0
    assert algorithm_for_key(load_private_key((tmp_path / "k.key.pem").read_bytes())) is \
        SignatureAlgorithm.ES256
    again = run("keys", "generate", "--kid", "k", "--out", tmp_path)
    assert again.exit_code == 2 and "--force" in again.output
    assert run("keys", "generate", "--kid", "k", "--out", tmp_path, "--force").exit_code == 0


@pytest.mark.parametrize("args", [["--kid", "bad kid"], ["--kid", "k", "--alg", "HS256"], []])
def test_usage_errors(tmp_path: Path, args):
    assert run("keys", "generate", *args, "--out", tmp_path).exit_code == 2


def test_an_out_that_is_a_file_is_named_as_such(tmp_path: Path):
    (tmp_path / "file").write_text("x")
    result = run("keys", "generate", "--kid", "k", "--out", tmp_path / "file", "--force")
    assert result.exit_code == 2 and "is a file: --out names the directory" in result.output
