"""The committed demo material: test-only keys and a directory that verifies."""

from __future__ import annotations

from pathlib import Path

from gateway.crypto import load_private_key, load_public_key
from gateway.trust import load_directory
from gateway.trust._demo import DEMO_NODES, DEMO_PERMISSIONS, ROOT_KID, write_demo
from tests.gateway._support import FIXTURES

KEYS = FIXTURES / "keys"


def test_fixture_directory_verifies_with_the_root_key():
    root = load_public_key((KEYS / f"{ROOT_KID}.pub.pem").read_bytes())
    trusted = load_directory((FIXTURES / "directory.json").read_bytes(), root)
    assert [node.id for node in trusted.directory.nodes] == [
        "410000-RKJS", "410100-RKJS", "411600-RKJS", "410100-GA"]
    assert {node.endpoint for node in trusted.directory.nodes} >= {
        "http://127.0.0.1:8410", "http://127.0.0.1:8411", "http://127.0.0.1:8416"}


def test_fixture_keys_match_the_directory():
    root = load_public_key((KEYS / f"{ROOT_KID}.pub.pem").read_bytes())
    trusted = load_directory((FIXTURES / "directory.json").read_bytes(), root)
    for node in DEMO_NODES:
        for demo_key in node.keys:
            private = load_private_key((KEYS / f"{demo_key.kid}.key.pem").read_bytes())
            listed = trusted.key(demo_key.kid)
            assert listed is not None and trusted.key_owner(demo_key.kid) == node.id
            assert load_public_key(listed.public_key.encode()) == private.public_key()


def test_fixture_keys_are_marked_test_only():
    assert "TEST ONLY" in (KEYS / "README.md").read_text(encoding="utf-8")


def test_write_demo_regenerates_everything(tmp_path: Path):
    directory = write_demo(tmp_path)
    root = load_public_key((tmp_path / "keys" / f"{ROOT_KID}.pub.pem").read_bytes())
    assert len(load_directory(directory.read_bytes(), root).directory.nodes) == 4
    assert (tmp_path / "keys" / f"{ROOT_KID}.key.pem").stat().st_mode & 0o777 == 0o600


def _fixture_permissions() -> set[tuple[str, str, str]]:
    root = load_public_key((KEYS / f"{ROOT_KID}.pub.pem").read_bytes())
    trusted = load_directory((FIXTURES / "directory.json").read_bytes(), root)
    return {(p.sender, p.recipient, t) for p in trusted.directory.permissions
            for t in p.message_types}


def test_fixture_directory_lists_receipts_back_along_every_route():
    permitted = _fixture_permissions()
    for sender, recipient, _ in DEMO_PERMISSIONS:
        assert (recipient, sender, "Receipt") in permitted


def test_fixture_directory_lists_local_submission():
    permitted = _fixture_permissions()
    for node in DEMO_NODES:
        own = {t for s, _, types in DEMO_PERMISSIONS if s == node.id for t in types}
        assert {(node.id, node.id, t) for t in own | {"Receipt"}} <= permitted
    assert ("410100-GA", "410100-GA", "ChangeReport") not in permitted


def test_write_demo_keeps_existing_keys(tmp_path: Path):
    write_demo(tmp_path)
    key = tmp_path / "keys" / "410100-RKJS-2010.key.pem"
    before = key.read_bytes()
    write_demo(tmp_path)
    assert key.read_bytes() == before
    write_demo(tmp_path, new_keys=True)
    assert key.read_bytes() != before
