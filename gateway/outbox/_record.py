"""Write down the outcome of delivery attempts: done, retry later (backoff), dead letter."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, select

from gateway.audit import AuditEvent, append
from gateway.outbox._deliver import Attempt, Verdict
from gateway.settings import OutboxSettings
from gateway.store import dead_letters, outbox, write_lock


def backoff(attempts: int, settings: OutboxSettings, rng: random.Random | None = None) -> float:
    """Seconds to wait after the ``attempts``-th failure: exponential, with jitter.

    The ceiling doubles from ``base_delay`` up to ``max_delay``; the wait is drawn between
    half the ceiling and the ceiling, so retries of many entries spread out.
    """
    ceiling = min(settings.max_delay, settings.base_delay * 2 ** max(attempts - 1, 0))
    jitter: float = (rng or random).uniform(0.5, 1.0)
    return float(ceiling * jitter)


def record_attempts(engine: Engine, node_id: str, settings: OutboxSettings,
                    results: Sequence[tuple[Any, Attempt]]) -> None:
    """Store the outcome of each (entry, attempt) in one transaction."""
    now = time.time()
    stamp = dt.datetime.now(dt.UTC).isoformat()
    events = []
    with engine.begin() as connection:
        write_lock(connection)
        for entry, attempt in results:
            current = connection.execute(select(outbox.c.status, outbox.c.attempts)
                                         .where(outbox.c.id == entry.id)).one()
            if current.status not in ("sending", "pending"):
                continue  # delivered or resent meanwhile
            attempts = current.attempts + 1
            verdict = attempt.verdict
            if verdict is Verdict.RETRY and attempts >= settings.max_attempts:
                verdict = Verdict.DEAD
            values: dict[str, Any] = {"attempts": attempts, "lease_until": None,
                                      "last_error": None if verdict in (
                                          Verdict.DELIVERED, Verdict.REJECTED)
                                      else attempt.detail}
            if verdict in (Verdict.DELIVERED, Verdict.REJECTED):
                values.update(status=verdict.value, delivered_at=stamp, reply=attempt.reply)
            elif verdict is Verdict.RETRY:
                values.update(status="pending",
                              next_attempt_at=now + backoff(attempts, settings))
            else:
                values.update(status="dead")
                connection.execute(dead_letters.insert().values(
                    outbox_id=entry.id, destination=entry.destination,
                    message_id=entry.message_id, reason=attempt.detail, dead_at=stamp))
            connection.execute(outbox.update().where(outbox.c.id == entry.id).values(**values))
            if verdict is not Verdict.RETRY:
                events.append(AuditEvent(node_id, f"outbox.{verdict.value}",
                                         f"{entry.destination}/{entry.message_id}",
                                         {"attempts": attempts,
                                          "detail": attempt.detail[:200]}))
        append(connection, events)
