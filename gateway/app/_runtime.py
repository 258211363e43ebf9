"""The live parts of one node process: settings, identity, engine, writer, outbox worker."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from sqlalchemy import Engine

from gateway.docking import redocking
from gateway.ingest import GroupWriter, WriteContext
from gateway.node import NodeIdentity, load_identity
from gateway.outbox import OutboxWorker
from gateway.settings import Settings
from gateway.store import checkpoint, is_sqlite, make_engine, upgrade

log = logging.getLogger("yipanqi.store")
#: How long a stopping node waits for the pending items its last groups unblocked to be
#: docked again (seconds). Past it, the run under way still ends; later ones are left.
_SETTLE_TIMEOUT = 60.0


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


#: Collect the young generation every 50,000 allocations (default 700): a 10,000-report
#: batch allocates millions of objects, and the default thresholds spent ~40 % of its time
#: in the collector. The process makes little cyclic garbage.
GC_THRESHOLDS = (50_000, 20, 100)


def tune_gc() -> None:
    """For a serving process (``yipanqi serve``), once its app is imported."""
    gc.set_threshold(*GC_THRESHOLDS)
    gc.freeze()  # what startup loaded (directory, tables, code) is never scanned again


#: Seconds between WAL checkpoints of a SQLite store (off the write path).
CHECKPOINT_INTERVAL = 1.0


async def _checkpoints(engine: Engine) -> None:
    while True:
        await asyncio.sleep(CHECKPOINT_INTERVAL)
        try:
            await asyncio.to_thread(checkpoint, engine)
        except Exception as exc:  # noqa: BLE001 - retried at the next interval
            log.warning("WAL checkpoint failed: %s", type(exc).__name__)


@contextlib.asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[Runtime]:
    """Open the store (migrating it), start the writer and the outbox worker; stop them."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    identity = load_identity(settings)
    engine = make_engine(settings.url, background_checkpoints=True)
    if settings.migrate_on_startup:
        await asyncio.to_thread(upgrade, engine)
    context = WriteContext.of_node(identity, settings)
    if settings.redock_on_change:
        context = redocking(engine, context)
    writer = GroupWriter(engine, context, settings.group_commit_max)
    runtime = Runtime(settings, identity, engine, writer)
    runtime.tasks.append(asyncio.create_task(writer.run(), name="group-writer"))
    runtime.tasks.append(asyncio.create_task(writer.follow(), name="group-follower"))
    if is_sqlite(engine):
        runtime.tasks.append(asyncio.create_task(_checkpoints(engine), name="checkpoints"))
    if settings.outbox.enabled:
        worker = OutboxWorker(engine, identity, settings.outbox)
        runtime.tasks.append(asyncio.create_task(worker.run(), name="outbox-worker"))
    try:
        yield runtime
    finally:
        # What received groups unblocked is docked before the node stops, if it can be.
        try:
            await asyncio.wait_for(writer.settled(), _SETTLE_TIMEOUT)
        except TimeoutError:
            log.warning("stopping before every pending item the last messages unblocked "
                        "was docked again: `yipanqi pending retry --all` docks the rest")
        for task in runtime.tasks:
            task.cancel()
        for task in runtime.tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await _connections_returned(engine)
        engine.dispose()


async def _connections_returned(engine: Engine, timeout: float = 30.0) -> None:
    """Wait until no connection is checked out, or ``timeout`` seconds.

    A cancelled task stops waiting for ``asyncio.to_thread``, but the thread goes on with
    its connection; disposing of the engine before it is back would leave that connection
    open, with no pool to close it.
    """
    checked_out = getattr(engine.pool, "checkedout", None)
    if checked_out is None:
        return
    deadline = time.monotonic() + timeout
    while checked_out() and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
