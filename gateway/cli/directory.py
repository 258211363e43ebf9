"""``yipanqi directory``: sign, verify and show the trust directory; make the demo one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from gateway.cli._app import app
from gateway.cli._envelopes import (
    DIRECTORY_LIMIT,
    RootKeyOption,
    read_bytes,
    refusal_text,
    signing_key,
    trust_directory,
)
from gateway.cli._output import output_file
from gateway.errors import DirectoryInvalid
from gateway.trust import TrustDirectory, parse_directory, sign_directory
from gateway.trust._demo import write_demo

directory_app = typer.Typer(help="The signed trust directory.", no_args_is_help=True)
app.add_typer(directory_app, name="directory")

DirectoryArgument = Annotated[Path, typer.Argument(help="A signed directory (JWS).",
                                                   show_default=False)]


def _load(directory: Path, root_key: Path | None) -> TrustDirectory:
    try:
        return trust_directory(directory, root_key)
    except DirectoryInvalid as exc:
        Console(highlight=False, soft_wrap=True).print(
            f"{directory}: [red]refused[/red] ", end="")
        Console(highlight=False, soft_wrap=True).print(refusal_text(exc), markup=False)
        raise typer.Exit(1) from None


@directory_app.command("sign")
def sign_command(
    document: Annotated[Path, typer.Argument(help="The unsigned directory JSON.",
                                             show_default=False)],
    key: Annotated[Path, typer.Option("--key", help="The root private key PEM.")],
    kid: Annotated[str | None, typer.Option("--kid", show_default=False,
                                            help="[default: the key file name]")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", show_default=False,
                                                help="[default: stdout]")] = None,
) -> None:
    """Check an unsigned directory document and sign it with the root key."""
    root = signing_key(key, kid)
    try:
        directory = parse_directory(read_bytes(document, "directory", DIRECTORY_LIMIT))
    except DirectoryInvalid as exc:
        Console(stderr=True, highlight=False, soft_wrap=True).print(
            f"{document}: {refusal_text(exc)}", markup=False)
        raise typer.Exit(1) from None
    with output_file(output) as out:
        out.write(sign_directory(directory, root))


@directory_app.command("verify")
def verify_command(directory: DirectoryArgument, root_key: RootKeyOption = None) -> None:
    """Verify the directory's signature and content. Exit 0 valid, 1 refused, 2 usage."""
    trusted = _load(directory, root_key)
    content = trusted.directory
    Console(highlight=False, soft_wrap=True).print(
        f"{directory}: [green]valid[/green] serial {content.serial} issued "
        f"{content.issued_at.isoformat()} by {content.issuer} (key {trusted.signed_by}); "
        f"{len(content.nodes)} nodes, {len(content.permissions)} permissions")


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, box=None, padding=(0, 2, 0, 0), header_style="bold")
    for column in columns:  # ids stay whole; only free text (names, lists) may wrap
        table.add_column(column, no_wrap=column not in {"name", "message types"},
                         overflow="fold")
    return table


def _moment(moment: dt.datetime) -> str:
    """A validity bound, short: the date alone when it is local midnight."""
    if moment.time() == dt.time(0):
        return moment.date().isoformat()
    return moment.isoformat(sep=" ", timespec="minutes")


def _tables(trusted: TrustDirectory) -> list[Table]:
    nodes = _table("nodes", "node", "name", "role", "endpoint", "versions")
    keys = _table("keys", "kid", "node", "alg", "from", "until", "status")
    routes = _table("permissions", "sender", "recipient", "message types")
    for node in trusted.directory.nodes:
        nodes.add_row(node.id, node.name, node.role.value, node.endpoint,
                      ", ".join(v.value for v in node.accepted_schema_versions))
        for key in node.keys:
            keys.add_row(key.kid, node.id, key.alg.value, _moment(key.not_before),
                         _moment(key.not_after), "revoked" if key.revoked else "")
    for permission in trusted.directory.permissions:
        routes.add_row(permission.sender, permission.recipient,
                       ", ".join(permission.message_types))
    return [nodes, keys, routes]


@directory_app.command("show")
def show_command(directory: DirectoryArgument, root_key: RootKeyOption = None) -> None:
    """Verify the directory, then show its nodes, keys and permissions."""
    console = Console(highlight=False)
    for table in _tables(_load(directory, root_key)):
        console.print(table)


@directory_app.command("demo")
def demo_command(
    out: Annotated[Path, typer.Option("--out", help="Where keys/ and directory.json go.")],
    new_keys: Annotated[bool, typer.Option(
        "--new-keys", help="Replace the keys already in OUT/keys too.")] = False,
) -> None:
    """(Re)generate the signed demo directory, and the TEST-ONLY demo keys when missing."""
    path = write_demo(out, new_keys=new_keys)
    Console(highlight=False, soft_wrap=True).print(
        f"[green]wrote[/green] {path}; the test-only keys are in {out / 'keys'}")
