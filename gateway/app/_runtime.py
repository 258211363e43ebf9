"""The live parts of one node process: settings, identity, engine, writer, outbox worker."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from sqlalchemy import Engine

from gateway.ingest import GroupWriter, WriteContext
from gateway.node import NodeIdentity, load_identity
from gateway.outbox import OutboxWorker
from gateway.settings import Settings
from gateway.store import make_engine, upgrade


@dataclass
class Runtime:
    settings: Settings
    identity: NodeIdentity
    engine: Engine
    writer: GroupWriter
    tasks: list[asyncio.Task[None]] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return bool(self.tasks) and not any(task.done() for task in self.tasks)


@contextlib.asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[Runtime]:
    """Open the store (migrating it), start the writer and the outbox worker; stop them."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    identity = load_identity(settings)
    engine = make_engine(settings.url)
    if settings.migrate_on_startup:
        await asyncio.to_thread(upgrade, engine)
    context = WriteContext(identity, tuple(settings.routes), frozenset(settings.pull_partners))
    writer = GroupWriter(engine, context, settings.group_commit_max)
    runtime = Runtime(settings, identity, engine, writer)
    runtime.tasks.append(asyncio.create_task(writer.run(), name="group-writer"))
    if settings.outbox.enabled:
        worker = OutboxWorker(engine, identity, settings.outbox)
        runtime.tasks.append(asyncio.create_task(worker.run(), name="outbox-worker"))
    try:
        yield runtime
    finally:
        for task in runtime.tasks:
            task.cancel()
        for task in runtime.tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        engine.dispose()
