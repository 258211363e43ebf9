"""``yipanqi pending list|resolve|retry``: the items waiting for verification (待核实) at this
node, marking them resolved once verified, and docking their notices again."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from gateway.cli._app import app
from gateway.cli._node import ConfigOption, checked_identity, node_settings, store_engine
from gateway.cli._progress import count_progress
from gateway.docking import (
    RETRY_CHUNK,
    PendingKind,
    Retried,
    clean_note,
    open_items,
    pending_view,
    redock,
    redocking,
    resolve,
    retry,
    retry_key,
)
from gateway.errors import NotFound, NotRetryable
from gateway.ingest import Noted, WriteContext, forget, people_to_follow
from gateway.node import load_identity
from gateway.settings import Settings
from schema.errors import YipanqiError

pending_app = typer.Typer(help="Pending items: notices and conflicts to verify.",
                          no_args_is_help=True)
app.add_typer(pending_app, name="pending")


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


class Status(StrEnum):
    open = "open"
    all = "all"


@pending_app.command("list")
def pending_list(
    config: ConfigOption = None,
    output_format: Annotated[OutputFormat, typer.Option(
        "--format", help="text: a table; json: one JSON document.")] = OutputFormat.text,
    status: Annotated[Status, typer.Option(help="open items only, or all.")] = Status.open,
    limit: Annotated[int, typer.Option(help="At most this many items.", min=1,
                                       max=1_000_000)] = 1000,
    kind: Annotated[PendingKind | None, typer.Option(
        help="Items of this kind only.", show_default=False)] = None,
) -> None:
    """List pending items (unknown person, possible mistyped ID number, name mismatch,
    record invalid, version gap) and version conflicts, oldest first. ID numbers are
    masked."""
    engine = store_engine(node_settings(config))
    try:
        with engine.connect() as connection:
            items = pending_view(connection, None if status is Status.all else "open", limit,
                                 kind)
            to_follow = people_to_follow(connection)
    finally:
        engine.dispose()
    if output_format is OutputFormat.json:
        typer.echo(json.dumps({"count": len(items), "items": items, "toFollow": to_follow},
                              ensure_ascii=False, indent=2))
        return
    table = Table("id", "created", "kind", "notice", "ID number", "reason 原因", "status")
    for item in items:
        shown = str(item["status"])
        if item["resolvedAt"]:
            shown += f" {str(item['resolvedAt'])[:19]}\n{item['resolution']}"
        table.add_row(str(item["id"]), str(item["created"])[:19], item["kind"],
                      item["noticeId"] or "", item["idNumber"],
                      f"{item['reasonZh']}\n{item['reasonEn']}", shown)
    console = Console(highlight=False)
    console.print(table)
    console.print(f"{len(items)} item{'' if len(items) == 1 else 's'}")
    if to_follow:
        console.print(f"{to_follow} {'person' if to_follow == 1 else 'people'} whose records "
                      f"changed: the node docks their open items again when it runs "
                      f"(记录已变更，待重新对接)")


@pending_app.command("resolve")
def pending_resolve(
    items: Annotated[list[str], typer.Argument(
        metavar="ITEM...",
        help="Items as listed: a number, or C and a number for a version conflict.")],
    note: Annotated[str, typer.Option(
        "--note", help="What was verified and done (核实情况); kept with the item.")],
    config: ConfigOption = None,
) -> None:
    """Mark pending items resolved once verified: they leave the open list, the note and
    the time are kept, and the audit log records it. A record whose version conflicts are
    all resolved takes notices again, and the items that waited on it are docked again
    (setting redock_on_change; the node's key signs their reports). Exit 1 if an item does
    not exist."""
    try:
        text = clean_note(note)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--note") from None
    settings = node_settings(config)
    engine = store_engine(settings)
    missing = 0
    noted: list[Noted | None] = []
    try:
        for item in items:
            try:
                done = resolve(engine, settings.node_id, item, text,
                               to_follow=settings.redock_on_change)
            except NotFound as exc:
                typer.echo(f"error 错误: {exc.message}", err=True)
                missing += 1
                continue
            if done.status == "resolved":
                typer.echo(f"resolved 已核实: {done.id}")
                noted.append(done.noted)
            else:
                typer.echo(f"already resolved 早已核实: {done.id} ({str(done.resolved_at)[:19]}: "
                           f"{done.note})")
        to_follow = Noted.together(noted)
        if to_follow is not None:
            _redock_after_conflicts(engine, settings, to_follow)
    finally:
        engine.dispose()
    if missing:
        raise typer.Exit(1)


def _redock_after_conflicts(engine: Engine, settings: Settings, noted: Noted) -> None:
    """Dock again the items that waited on the records whose conflicts were resolved, as the
    node would; their reports are signed as the node's, so its key is needed. Those people
    stay noted to follow until this is done: the node does it when it next starts."""
    try:
        identity = load_identity(settings)
    except (YipanqiError, OSError) as exc:
        typer.echo(f"note 注意: the items waiting on these records were not docked again "
                   f"(the node's key or directory cannot be used: {exc}); the node docks "
                   f"them when it next starts, or run `yipanqi pending retry` where it can",
                   err=True)
        return
    context = WriteContext.of_node(identity, settings)
    try:
        done = redock(engine, context, noted.people)
        forget(engine, noted)
    except SQLAlchemyError as exc:  # resolved all the same: the retry can come later
        typer.echo(f"note 注意: the items waiting on these records were not docked again "
                   f"({type(exc).__name__}); the node docks them when it next starts, or "
                   f"run `yipanqi pending retry`", err=True)
        return
    if done:
        docked = sum(found.status == "resolved" for found in done)
        typer.echo(f"{len(done)} items waiting on these records docked again: {docked} docked "
                   f"已对接, {len(done) - docked} still pending 仍待核实")


def _retried_line(done: Retried) -> str:
    answer = done.notice or {}
    if done.status == "resolved":
        if answer.get("reportId") is None:
            return f"docked 已对接: {done.id} (the record needed no change 个案无需变更)"
        return (f"docked 已对接: {done.id} → report {answer['reportId']} "
                f"(record version {answer['recordVersion']})")
    if done.status == "already-resolved":
        return f"already resolved 早已核实: {done.id}"
    if answer.get("status") == "pending":
        return (f"still pending 仍待核实: {done.id} {answer['kind']}: {answer['reasonZh']} / "
                f"{answer['reasonEn']}")
    if answer.get("status") == "rejected":
        return f"still pending 仍待核实: {done.id} refused 拒收: {', '.join(answer['rules'])}"
    return f"still pending 仍待核实: {done.id} (no notice kept for it)"


@pending_app.command("retry")
def pending_retry(
    items: Annotated[list[str] | None, typer.Argument(
        metavar="ITEM", show_default=False,
        help="Pending items as listed (numbers); or --all.")] = None,
    every: Annotated[bool, typer.Option(
        "--all", help="Every open pending item, oldest first.")] = False,
    output_format: Annotated[OutputFormat, typer.Option(
        "--format", help="text: a line per item; json: one JSON document.")] = OutputFormat.text,
    config: ConfigOption = None,
) -> None:
    """Dock the notices of pending items again, against the records as they are now: once
    the person's record has arrived, a version conflict was resolved or the missing versions
    came. A notice that now applies becomes its change report, routed on like any other, and
    its item is resolved; the others stay open with today's reason. Version conflicts (C…)
    are resolved, not retried. The node itself docks the items about a person again when a
    write changes the person's record (setting redock_on_change), and so does this command
    after a docked item. Exit 1 if an item does not exist or is a conflict."""
    if every == bool(items):
        raise typer.BadParameter("name the items to retry, or give --all (not both)",
                                 param_hint="ITEM... / --all")
    settings = node_settings(config)
    identity = checked_identity(settings)  # the docked reports are signed as this node's
    refused = 0
    keys: list[int] = []
    engine = store_engine(settings)
    context = WriteContext.of_node(identity, settings)
    if settings.redock_on_change:  # as the node would after a docked report
        context = redocking(engine, context)
    try:
        for item in items or []:
            try:
                keys.append(retry_key(item, engine))
            except (NotFound, NotRetryable) as exc:
                typer.echo(f"error 错误: {exc.message}", err=True)
                refused += 1
        if every:
            keys = open_items(engine)
        done: list[Retried] = []
        console = Console(stderr=True)
        with count_progress(console, "retrying 重新对接", len(keys), RETRY_CHUNK) as advance:
            for start in range(0, len(keys), RETRY_CHUNK):
                done += retry(engine, context, keys[start:start + RETRY_CHUNK])
                if advance is not None:
                    advance(len(done))
    finally:
        engine.dispose()
    for found in done:
        if found.status == "not-found":
            typer.echo(f"error 错误: no pending item {found.id}", err=True)
            refused += 1
    _report_retried([d for d in done if d.status != "not-found"], output_format, every)
    if refused:
        raise typer.Exit(1)


def _report_retried(done: list[Retried], output_format: OutputFormat, every: bool) -> None:
    counts: dict[str, int] = {}
    for found in done:
        counts[found.status] = counts.get(found.status, 0) + 1
    if output_format is OutputFormat.json:
        typer.echo(json.dumps({"count": len(done), "counts": counts,
                               "items": [d.to_json() for d in done]},
                              ensure_ascii=False, indent=2))
        return
    for found in done:
        # with --all, the items still waiting are what `pending list` shows: name the docked
        if not every or found.status == "resolved":
            typer.echo(_retried_line(found))
    typer.echo(f"{len(done)} item{'' if len(done) == 1 else 's'} retried: "
               f"{counts.get('resolved', 0)} docked 已对接, {counts.get('open', 0)} still "
               f"pending 仍待核实")
