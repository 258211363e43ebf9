"""The outbox worker: claim due entries, sign once, deliver concurrently, record."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from gateway.node import NodeIdentity
from gateway.outbox._claim import claim_due
from gateway.outbox._deliver import Attempt, Verdict, deliver
from gateway.outbox._record import record_attempts
from gateway.outbox._sign import ensure_envelopes
from gateway.settings import OutboxSettings

log = logging.getLogger("yipanqi.outbox")


class OutboxWorker:
    """Delivers this node's outbox until cancelled."""

    def __init__(self, engine: Engine, identity: NodeIdentity, settings: OutboxSettings) -> None:
        self.engine = engine
        self.identity = identity
        self.settings = settings
        self.wake = asyncio.Event()

    async def run(self) -> None:
        timeout = httpx.Timeout(self.settings.request_timeout)
        limits = httpx.Limits(max_connections=self.settings.concurrency)
        async with httpx.AsyncClient(timeout=timeout, limits=limits, trust_env=False) as client:
            while True:
                try:
                    busy = await self.run_once(client)
                except (DBAPIError, OSError) as exc:
                    log.warning("outbox pass failed: %s", type(exc).__name__)
                    busy = False
                except Exception:  # the worker must outlive any surprise; leases recover
                    log.exception("outbox pass failed")
                    busy = False
                if not busy:
                    self.wake.clear()
                    try:
                        await asyncio.wait_for(self.wake.wait(), self.settings.poll_interval)
                    except TimeoutError:
                        pass

    async def run_once(self, client: httpx.AsyncClient) -> bool:
        """One pass; True when there was work (look again at once)."""
        entries = await asyncio.to_thread(claim_due, self.engine, self.settings.batch_size,
                                          self.settings.lease_seconds)
        if not entries:
            return False
        envelopes = await asyncio.to_thread(ensure_envelopes, self.engine, self.identity,
                                            entries)
        limit = asyncio.Semaphore(self.settings.concurrency)

        async def one(entry: Any) -> tuple[Any, Attempt]:
            async with limit:
                try:
                    return entry, await asyncio.wait_for(
                        deliver(client, self.identity, entry.destination, entry.message_id,
                                entry.format, envelopes[entry.id]),
                        self.settings.request_timeout * 3)
                except Exception as exc:  # noqa: BLE001 - any failure is a failed attempt
                    log.warning("delivery of %s failed: %r", entry.message_id, exc)
                    return entry, Attempt(Verdict.RETRY, f"{type(exc).__name__}: {exc}"[:500])

        results = await asyncio.gather(*(one(e) for e in entries))
        await asyncio.to_thread(record_attempts, self.engine, self.identity.node_id,
                                self.settings, results)
        return True
