"""``yipanqi keys``: make signing keys."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from gateway.cli._app import app
from gateway.cli._envelopes import KID, usage_error
from gateway.crypto import SignatureAlgorithm, generate_private_key, write_key_pair

keys_app = typer.Typer(help="Signing keys.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")



@keys_app.command("generate")
def generate(
    kid: Annotated[str, typer.Option("--kid", help="Key id, e.g. 410100-RKJS-2010.")],
    out: Annotated[Path, typer.Option("--out", help="Directory to write the key pair to.")],
    alg: Annotated[SignatureAlgorithm, typer.Option(
        "--alg", help="ES256 (P-256), EdDSA (Ed25519, JSON envelopes only) or RS256.",
    )] = SignatureAlgorithm.ES256,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing pair.")] = False,
) -> None:
    """Generate a key pair: DIR/KID.key.pem (PKCS#8, mode 0600) and DIR/KID.pub.pem."""
    if not KID.fullmatch(kid):
        usage_error(f"key id {kid!r}: use letters, digits and . _ : - (at most 128)")
    if out.exists() and not out.is_dir():
        usage_error(f"{out} is a file: --out names the directory of the key pair")
    try:
        private_path, public_path = write_key_pair(out, kid, generate_private_key(alg),
                                                   overwrite=force)
    except FileExistsError:
        usage_error(f"{out / (kid + '.key.pem')} exists (use --force to replace it)")
    except OSError as exc:
        usage_error(f"cannot write to {out}: {exc.strerror}")
    Console(highlight=False).print(f"[green]wrote[/green] {private_path} (private, 0600) and "
                                   f"{public_path}  [{alg.value}]", soft_wrap=True)
