"""Options shared by the node commands: which node's settings and store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy import Engine

from gateway.settings import Settings, load_settings
from gateway.store import make_engine

ConfigOption = Annotated[Path | None, typer.Option(
    "--config", "-c", envvar="YIPANQI_CONFIG", show_default=False,
    help="TOML settings file of the node [env YIPANQI_CONFIG].")]


def node_settings(config: Path | None, **overrides: Any) -> Settings:
    chosen = {name: value for name, value in overrides.items() if value is not None}
    return load_settings(config, **chosen)


def node_engine(settings: Settings) -> Engine:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return make_engine(settings.url)
