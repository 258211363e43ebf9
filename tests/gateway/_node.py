"""An in-process gateway node for the API tests (real app, real store, no sockets)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from gateway.app import create_app
from gateway.settings import Settings, load_settings

OPERATOR = {"Authorization": "Bearer op-token"}
XML = {"Content-Type": "application/xml"}
JOSE = {"Content-Type": "application/jose+json"}


def node_settings(url: str, data_dir: Path, node_id: str = "410000-RKJS",
                  **overrides: Any) -> Settings:
    values: dict[str, Any] = {"node_id": node_id, "database_url": url, "data_dir": data_dir,
                              "operator_token": "op-token",
                              "partner_tokens": {"410100-RKJS": "zz-token"}}
    values["outbox"] = {"enabled": False, **overrides.pop("outbox", {})}
    values.update(overrides)
    return load_settings(**values)


@asynccontextmanager
async def client_for(settings: Settings) -> AsyncIterator[tuple[httpx.AsyncClient, Any]]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://node") as client:
            yield client, app.state.runtime


def media(envelope: bytes) -> dict[str, str]:
    return XML if envelope.lstrip().startswith(b"<") else JOSE


def as_json(response: httpx.Response) -> Any:
    return json.loads(response.content)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
