"""``yipanqi sign``: wrap a document in a signed envelope of the same format."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from gateway.cli._app import app
from gateway.cli._envelopes import refusal_text, signing_key, usage_error
from gateway.cli._input import seekable
from gateway.cli._output import output_file
from gateway.envelope import check_node_id, sign_file
from gateway.envelope._header import parse_timestamp
from gateway.errors import AlgorithmRefused, GatewayError
from schema.errors import YipanqiError


def _node(value: str) -> str:
    try:
        return check_node_id(value)
    except GatewayError as exc:
        raise typer.BadParameter(exc.message) from None


def _created_at(value: str | None) -> object:
    if value is None:
        return None
    try:
        return parse_timestamp(value)
    except GatewayError as exc:
        raise typer.BadParameter(exc.message) from None


@app.command()
def sign(
    document: Annotated[Path, typer.Argument(
        help="The XML or JSON document to send; - reads standard input.",
        show_default=False)],
    key: Annotated[Path, typer.Option("--key", help="Private key PEM (PKCS#8 or traditional).")],
    sender: Annotated[str, typer.Option("--sender", callback=_node, help="Sending node id.")],
    recipient: Annotated[str, typer.Option("--recipient", callback=_node,
                                           help="Receiving node id.")],
    kid: Annotated[str | None, typer.Option(
        "--kid", help="Key id in the directory [default: the key file name before .key.pem].",
        show_default=False)] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", show_default=False,
                                                help="Envelope file [default: stdout].")] = None,
    message_id: Annotated[str | None, typer.Option(
        "--message-id", show_default=False, help="[default: a new UUID]")] = None,
    created_at: Annotated[str | None, typer.Option(
        "--created-at", show_default=False, help="RFC 3339 with offset [default: now].")] = None,
    conversation_id: Annotated[str | None, typer.Option("--conversation-id")] = None,
    ref_to_message_id: Annotated[str | None, typer.Option("--ref-to-message-id")] = None,
) -> None:
    """Sign DOCUMENT: an XML document gets an XML-DSig envelope, a JSON document a JWS.

    Exit status: 0 when written, 1 when the document cannot be signed (invalid,
    malformed), 2 on a usage error (bad key file, EdDSA key for XML, bad option).
    """
    for option, value in (("--message-id", message_id), ("--conversation-id", conversation_id),
                          ("--ref-to-message-id", ref_to_message_id)):
        if value == "":
            usage_error(f"{option} is empty: give an id, or leave the option out")
    signer = signing_key(key, kid)
    optional = {"message_id": message_id, "created_at": _created_at(created_at),
                "conversation_id": conversation_id, "ref_to_message_id": ref_to_message_id}
    try:
        with seekable(document) as readable, output_file(output) as out:
            header = sign_file(readable, out, signer, sender=sender, recipient=recipient,
                               **{name: value for name, value in optional.items() if value})
    except AlgorithmRefused as exc:
        usage_error(exc.message)
    except BrokenPipeError:  # the reader went away: main() ends quietly
        raise
    except OSError as exc:
        usage_error(f"{exc.filename or document}: {exc.strerror or exc}")
    except YipanqiError as exc:
        Console(stderr=True, highlight=False).print(
            f"[red]not signed[/red] {document}: {refusal_text(exc)}", soft_wrap=True)
        raise typer.Exit(1) from None
    if output is not None:
        Console(stderr=True, highlight=False).print(
            f"[green]signed[/green] {header.message_type} {header.sender} → {header.recipient} "
            f"messageId {header.message_id} key {signer.kid} → {output}", soft_wrap=True)
