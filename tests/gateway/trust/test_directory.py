"""The trust directory: key lookup, rotation, revocation, routes; its own signature."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from gateway.crypto import b64url_decode, b64url_encode
from gateway.errors import (
    AlgorithmRefused,
    DirectoryInvalid,
    KeyExpired,
    KeyNotSender,
    KeyRevoked,
    KeyUnknown,
    NotPermitted,
    VersionNotAccepted,
)
from gateway.trust import directory_json, load_directory, parse_directory, sign_directory
from tests.gateway._support import (
    CST,
    ES256,
    RS256,
    header,
    make_directory,
    private_key,
    signing_key,
)

DIRECTORY = make_directory()


def test_public_key_lookup():
    assert DIRECTORY.public_key("zz-2010", ES256) is not None
    assert DIRECTORY.key_owner("zz-2010") == "410100-RKJS"
    with pytest.raises(KeyUnknown):
        DIRECTORY.public_key("nobody", ES256)
    with pytest.raises(KeyUnknown) as caught:  # a forged id is quoted cut short
        DIRECTORY.public_key("k" * 100_000, ES256)
    assert len(caught.value.message) < 250 and "(100000 characters)" in caught.value.message
    with pytest.raises(KeyRevoked):
        DIRECTORY.public_key("zz-revoked", ES256)
    with pytest.raises(AlgorithmRefused):
        DIRECTORY.public_key("zz-rsa", ES256)
    assert DIRECTORY.public_key("zz-rsa", RS256) is not None


@pytest.mark.parametrize(("kid", "created", "ok"), [
    ("zz-2009", dt.datetime(2009, 6, 1, tzinfo=CST), True),  # the old key, in its window
    ("zz-2009", dt.datetime(2009, 12, 31, 23, 59, tzinfo=CST), True),
    ("zz-2009", dt.datetime(2010, 1, 1, tzinfo=CST), False),  # rotated out
    ("zz-2009", dt.datetime(2009, 12, 31, 16, 0, tzinfo=dt.UTC), False),  # = 2010-01-01 CST
    ("zz-2010", dt.datetime(2009, 12, 31, tzinfo=CST), False),  # not yet valid
    ("zz-2010", dt.datetime(2010, 4, 7, tzinfo=CST), True),
])
def test_rotation_follows_created_at(kid, created, ok):
    message = header(created_at=created)
    if ok:
        DIRECTORY.authorise(message, kid)
    else:
        with pytest.raises(KeyExpired):
            DIRECTORY.authorise(message, kid)


def test_a_key_speaks_only_for_its_node():
    with pytest.raises(KeyNotSender):
        DIRECTORY.authorise(header(), "zk-2010")


def test_routes_and_versions():
    with pytest.raises(NotPermitted):
        DIRECTORY.authorise(header(message_type="PersonRecord"), "zz-2010")
    with pytest.raises(NotPermitted):
        DIRECTORY.authorise(header(recipient="411600-RKJS"), "zz-2010")
    with pytest.raises(VersionNotAccepted):
        DIRECTORY.authorise(header(schema_version="1"), "zz-2010")


ROOT = signing_key("root")


def test_signed_directory_round_trip():
    signed = sign_directory(DIRECTORY.directory, ROOT)
    loaded = load_directory(signed, private_key("root").public_key())
    assert loaded.directory == DIRECTORY.directory and loaded.signed_by == "root"


def test_directory_signed_by_another_key_is_refused():
    signed = sign_directory(DIRECTORY.directory, signing_key("not-root"))
    with pytest.raises(DirectoryInvalid):
        load_directory(signed, private_key("root").public_key())


def test_tampered_directory_is_refused():
    signed = json.loads(sign_directory(DIRECTORY.directory, ROOT))
    content = json.loads(b64url_decode(signed["payload"], "p"))
    content["permissions"].append({"sender": "411600-RKJS", "recipient": "410100-RKJS",
                                   "messageTypes": ["ChangeReport"]})
    signed["payload"] = b64url_encode(json.dumps(content).encode())
    with pytest.raises(DirectoryInvalid):
        load_directory(json.dumps(signed).encode(), private_key("root").public_key())


@pytest.mark.parametrize("change", [
    lambda d: d["nodes"].append(d["nodes"][0]),  # duplicate node
    lambda d: d["permissions"].append({"sender": "419900-RKJS", "recipient": "410000-RKJS",
                                       "messageTypes": ["ChangeReport"]}),
    lambda d: d["nodes"][0]["keys"][0].update(alg="RS256"),  # an EC key claimed as RSA
    lambda d: d["nodes"][0]["keys"][0].update(notAfter="2000-01-01T00:00:00+08:00"),
    lambda d: d["nodes"][0]["keys"][0].update(notBefore="2009-01-01T00:00:00"),  # naive
    lambda d: d["nodes"][0].update(id="4100-RKJS"),
    lambda d: d.update(extra=1),
])
def test_inconsistent_directories_are_invalid(change):
    content = json.loads(directory_json(DIRECTORY.directory))
    change(content)
    with pytest.raises(DirectoryInvalid):
        parse_directory(json.dumps(content).encode())


def test_directory_json_with_duplicate_keys_is_invalid():
    with pytest.raises(DirectoryInvalid):
        parse_directory(b'{"serial": 1, "serial": 2}')
