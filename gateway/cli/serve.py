"""``yipanqi serve``: run a gateway node."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
import uvicorn

from gateway.app import create_app, tune_gc
from gateway.cli._app import app
from gateway.cli._node import ConfigOption, checked_identity, migrated_engine, node_settings


@app.command()
def serve(
    config: ConfigOption = None,
    host: Annotated[str | None, typer.Option(show_default=False, help="Listen address.")] = None,
    port: Annotated[int | None, typer.Option(show_default=False, help="Listen port.")] = None,
    data_dir: Annotated[Path | None, typer.Option(show_default=False,
                                                  help="Data directory (SQLite).")] = None,
    node_id: Annotated[str | None, typer.Option(show_default=False,
                                                help="This node's id.")] = None,
    workers: Annotated[int | None, typer.Option(show_default=False,
                                                help="Worker processes.")] = None,
) -> None:
    """Run a gateway node: the message API, the store and the outbox worker.

    With no configuration: node 410100-RKJS on 127.0.0.1:8411, SQLite in ./yipanqi-data,
    the demo keys and directory of fixtures/ (test-only keys).
    """
    settings = node_settings(config, host=host, port=port, data_dir=data_dir, node_id=node_id,
                             workers=workers)
    checked_identity(settings)  # a missing key says so here, not in a startup traceback
    migrated_engine(settings).dispose()
    options = {"host": settings.host, "port": settings.port, "access_log": False,
               "log_level": settings.log_level, "timeout_keep_alive": 30,
               "timeout_graceful_shutdown": 5}
    if settings.workers == 1:
        settings.migrate_on_startup = False
        app = create_app(settings)
        tune_gc()
        uvicorn.run(app, **options)  # type: ignore[arg-type]
        return
    for name, value in (("NODE_ID", settings.node_id), ("DATA_DIR", str(settings.data_dir)),
                        ("MIGRATE_ON_STARTUP", "false")):
        os.environ[f"YIPANQI_{name}"] = value
    if config is not None:
        os.environ["YIPANQI_CONFIG"] = str(config.resolve())
    uvicorn.run("gateway.app:create_app_from_env", factory=True, workers=settings.workers,
                **options)  # type: ignore[arg-type]
