"""Shared pieces of the key, sign, verify, open and directory commands."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console

from gateway.crypto import (
    PublicKey,
    SigningKey,
    algorithm_for_key,
    load_private_key,
    load_public_key,
)
from gateway.envelope import KeySource, PinnedKey
from gateway.errors import KeyFileError
from gateway.trust import TrustDirectory, load_directory
from schema.errors import YipanqiError

#: Exit status of a usage error (typer/click use the same for their own).
USAGE = 2

err_console = Console(stderr=True, highlight=False)

RootKeyOption = Annotated[Path | None, typer.Option(
    "--root-key", envvar="YIPANQI_ROOT_KEY", show_default=False,
    help="The province's root public key (PEM) that signs the directory "
         "[env YIPANQI_ROOT_KEY; default: keys/ROOT_KID.pub.pem beside the directory].")]


def usage_error(message: str) -> NoReturn:
    """Print a usage error (no traceback) and exit with status 2."""
    err_console.print(f"[red]error:[/red] {message}", markup=True, soft_wrap=True)
    raise typer.Exit(USAGE)


#: The largest key file read (a 16384-bit RSA key in PEM has about 13 KB).
KEY_FILE_LIMIT = 64 * 1024
#: The largest trust directory read.
DIRECTORY_LIMIT = 16 * 1024 * 1024
#: What a key id may hold: it travels in XML (KeyName) and JSON (kid) and names files.
KID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def read_bytes(path: Path, what: str, limit: int) -> bytes:
    """The file's bytes, at most ``limit`` (``/dev/zero`` given as a key is refused)."""
    try:
        with path.open("rb") as stream:
            data = stream.read(limit + 1)
    except OSError as exc:
        usage_error(f"cannot read {what} {path}: {exc.strerror}")
    if len(data) > limit:
        usage_error(f"{what} {path} is larger than {limit} bytes: not a {what}")
    return data


def signing_key(path: Path, kid: str | None) -> SigningKey:
    """The private key in ``path``; the kid defaults to the file name before ``.key.pem``."""
    try:
        private_key = load_private_key(read_bytes(path, "key file", KEY_FILE_LIMIT))
    except KeyFileError as exc:
        usage_error(f"{path}: {exc.message}")
    if kid is None:
        kid = path.name.removesuffix(".pem").removesuffix(".key")
        if not KID.fullmatch(kid):
            usage_error(f"key id {kid!r} (from the key file's name): give --kid, with "
                        "letters, digits and . _ : - (at most 128)")
    elif not KID.fullmatch(kid):
        usage_error(f"key id {kid!r}: use letters, digits and . _ : - (at most 128)")
    return SigningKey(kid, algorithm_for_key(private_key), private_key)


def public_key(path: Path) -> PublicKey:
    try:
        return load_public_key(read_bytes(path, "public key", KEY_FILE_LIMIT))
    except KeyFileError as exc:
        usage_error(f"{path}: {exc.message}")


_SAFE_KID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def default_root_key(directory: Path, data: bytes) -> Path:
    """The trust anchor installed beside the directory: ``keys/<root kid>.pub.pem``.

    The kid is read from the directory's protected header only to find the file; the
    signature is then verified against that key like any other.
    """
    try:
        protected = json.loads(data)["protected"]
        header = json.loads(base64.urlsafe_b64decode(protected + "=" * (-len(protected) % 4)))
        kid = header["kid"]
    except (ValueError, KeyError, TypeError):
        usage_error(f"{directory} is not a signed directory")
    candidate = directory.parent / "keys" / f"{kid}.pub.pem"
    if not isinstance(kid, str) or not _SAFE_KID.fullmatch(kid) or not candidate.is_file():
        usage_error(f"no root key: give --root-key (or YIPANQI_ROOT_KEY), or install the "
                    f"province's root public key as {candidate}")
    return candidate


def trust_directory(directory: Path, root_key: Path | None) -> TrustDirectory:
    """A verified directory; :class:`~gateway.errors.DirectoryInvalid` if it does not hold.

    Without ``root_key`` the anchor is ``keys/<kid>.pub.pem`` beside the directory file.
    """
    data = read_bytes(directory, "directory", DIRECTORY_LIMIT)
    anchor = root_key if root_key is not None else default_root_key(directory, data)
    return load_directory(data, public_key(anchor))


def key_source(directory: Path | None, pinned: Path | None, root_key: Path | None) -> KeySource:
    """Exactly one of --directory and --public-key."""
    if (directory is None) == (pinned is None):
        usage_error("give exactly one of --directory and --public-key")
    if pinned is not None:
        return PinnedKey(public_key(pinned))
    assert directory is not None
    return trust_directory(directory, root_key)


def refusal_text(exc: YipanqiError) -> str:
    return f"{exc.code}: {exc.message}"
