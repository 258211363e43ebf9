"""Options shared by the node commands: which node's settings and store, and the checks that
end a command with a clear error when the store or the node's key cannot be used."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from pydantic import ValidationError
from sqlalchemy import Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from gateway.node import NodeIdentity, load_identity
from gateway.settings import Settings, load_settings
from gateway.store import current_revision, head_revision, make_engine, upgrade
from schema.errors import YipanqiError

ConfigOption = Annotated[Path | None, typer.Option(
    "--config", "-c", envvar="YIPANQI_CONFIG", show_default=False,
    help="TOML settings file of the node [env YIPANQI_CONFIG].")]


def node_settings(config: Path | None, **overrides: Any) -> Settings:
    """The node's settings; a usage error (exit 2) saying what is wrong with them."""
    chosen = {name: value for name, value in overrides.items() if value is not None}
    try:
        settings = load_settings(config, **chosen)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}"
                             for e in exc.errors()[:5])
        raise typer.BadParameter(f"the settings are not valid: {problems}",
                                 param_hint="--config / YIPANQI_*") from None
    except (OSError, ValueError) as exc:  # unreadable, not TOML, not UTF-8
        raise typer.BadParameter(f"the settings cannot be read: {exc}",
                                 param_hint="--config") from None
    try:
        make_url(settings.url)
    except ArgumentError:
        raise typer.BadParameter(f"the database URL {settings.url!r} cannot be read (as "
                                 "postgresql+psycopg://USER@HOST/DB or sqlite:///PATH)",
                                 param_hint="YIPANQI_DATABASE_URL") from None
    return settings


def _sqlite_file(settings: Settings) -> Path | None:
    """The file of a SQLite store (None for a server's, or one in memory)."""
    url = make_url(settings.url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database)
    return None


def node_engine(settings: Settings) -> Engine:
    """The store's engine; the directory of a SQLite store is made, nothing else."""
    file = _sqlite_file(settings)
    if file is not None:
        file.parent.mkdir(parents=True, exist_ok=True)
    return make_engine(settings.url)


def store_engine(settings: Settings) -> Engine:
    """The node's existing store, at the revision this release needs, for the commands that
    read or change what a node holds. Exit 1 with what to do when there is no store yet, it
    is at another revision or it cannot be reached; a missing SQLite file is not created."""
    shown = _shown(settings)
    refuse_missing_store(settings)
    engine, current = reached_engine(settings)
    head = head_revision()
    if current != head:
        engine.dispose()
        state = "holds no tables" if current is None else f"is at revision {current}"
        _refuse(f"the store at {shown} {state}, this release needs {head}: run "
                f"`yipanqi db upgrade`")
    return engine


def refuse_missing_store(settings: Settings) -> None:
    """Exit 1 when the store is a SQLite file that does not exist: it is not created."""
    file = _sqlite_file(settings)
    if file is not None and not file.exists():
        _refuse(f"there is no store at {_shown(settings)}: check --config and "
                "YIPANQI_DATA_DIR, or run `yipanqi db upgrade` to create it")


def reached_engine(settings: Settings) -> tuple[Engine, str | None]:
    """The node's store and its revision (None: no tables); exit 1 naming it when its
    server cannot be reached."""
    engine = node_engine(settings)
    try:
        return engine, current_revision(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        _refuse(f"the store at {_shown(settings)} cannot be reached: {_reason(exc)}")


def migrated_engine(settings: Settings) -> Engine:
    """The node's store, created or migrated to this release's revision; exit 1 naming it
    when its server cannot be reached or a migration fails."""
    engine, _ = reached_engine(settings)
    try:
        upgrade(engine)
    except SQLAlchemyError as exc:
        engine.dispose()
        _refuse(f"the store at {_shown(settings)} cannot be migrated: {_reason(exc)}")
    return engine


def checked_identity(settings: Settings) -> NodeIdentity:
    """The node's key and trust directory; exit 1 saying which cannot be used."""
    try:
        return load_identity(settings)
    except (YipanqiError, OSError) as exc:
        _refuse(f"the node's key or directory cannot be used: {exc}")


def _shown(settings: Settings) -> str:
    return make_url(settings.url).render_as_string(hide_password=True)


def _reason(exc: SQLAlchemyError) -> str:
    """The driver's first line (connection refused, no such database…)."""
    return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]


def _refuse(message: str) -> NoReturn:
    typer.echo(f"error 错误: {message}", err=True)
    raise typer.Exit(1)
