"""The app factory: no engine or settings exist before :func:`create_app` is called."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from gateway.app import _errors
from gateway.app._logging import AccessLog
from gateway.app._openapi import refusal_openapi
from gateway.app._runtime import running, tune_gc
from gateway.app.routers import health, inbox, messages, notices, pending, records
from gateway.settings import Settings, load_settings


def create_app(settings: Settings | None = None) -> FastAPI:
    """A gateway node's ASGI app; its lifespan opens the store and starts the workers."""
    chosen = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with running(chosen) as runtime:
            app.state.runtime = runtime
            yield

    # No redirect from a path with a trailing slash: its Location would be built from the
    # client's Host header; such a path is a 404 like any other unknown one.
    app = FastAPI(title=f"Yipanqi gateway {chosen.node_id}", version="1",
                  summary="一盘棋 — migrant family-planning record exchange", lifespan=lifespan,
                  redirect_slashes=False)
    _errors.install(app)
    app.openapi = refusal_openapi(app)  # type: ignore[method-assign]
    app.add_middleware(AccessLog)
    for router in (messages.router, inbox.router, records.router, notices.router,
                   pending.router, health.router):
        app.include_router(router)
    return app


def create_app_from_env() -> FastAPI:
    """For ``uvicorn --factory``: settings from ``$YIPANQI_CONFIG`` and the environment."""
    app = create_app(load_settings())
    tune_gc()  # a worker process of ``yipanqi serve --workers N``
    return app
