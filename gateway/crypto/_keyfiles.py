"""Key pairs on disk: ``KID.key.pem`` (PKCS#8, mode 0600) beside ``KID.pub.pem``."""

from __future__ import annotations

import os
from pathlib import Path

from gateway.crypto._keys import PrivateKey, private_key_pem, public_key_pem


def write_key_pair(directory: Path, kid: str, private_key: PrivateKey, *,
                   overwrite: bool = False) -> tuple[Path, Path]:
    """Write the pair; :class:`FileExistsError` if the private key exists and not ``overwrite``."""
    directory.mkdir(parents=True, exist_ok=True)
    private_path = directory / f"{kid}.key.pem"
    public_path = directory / f"{kid}.pub.pem"
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if overwrite else os.O_EXCL)
    # Created 0600 from the start: never readable by others, not even for a moment.
    descriptor = os.open(private_path, flags, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(private_key_pem(private_key))
    os.chmod(private_path, 0o600)  # an existing file keeps its old mode through O_TRUNC
    public_path.write_bytes(public_key_pem(private_key.public_key()))
    return private_path, public_path
