"""Write down the outcome of delivery attempts: done, retry later (backoff), dead letter.

Two kinds of failure are told apart. A partner that was reached (an HTTP error other than
502/503/504, a receipt that does not hold, a connection dropped mid-answer) failed this
message: the entry backs off on its own and is dead-lettered after ``max_attempts`` such
failures. A partner that could not be reached (connection refused or timed out, 502/503/504)
fails every message alike: the partner is *held* (table ``destinations``) with a delay that
grows pass after pass, its entries wait without using up attempts, and the first answer from
it ends the hold and makes them all due at once. An entry is given up only when it has found
its partner unreachable for ``give_up_after`` seconds.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Engine, select

from gateway.audit import AuditEvent, append
from gateway.outbox._deliver import Attempt, Verdict
from gateway.settings import OutboxSettings
from gateway.store import dead_letters, destinations, outbox, write_lock


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
    events: list[AuditEvent] = []
    with engine.begin() as connection:
        write_lock(connection)
        held = _hold_or_release(connection, node_id, settings, results, now, stamp, events)
        for entry, attempt in results:
            current = connection.execute(
                select(outbox.c.status, outbox.c.attempts, outbox.c.unreachable_since)
                .where(outbox.c.id == entry.id)).one()
            if current.status not in ("sending", "pending"):
                continue  # delivered or resent meanwhile
            verdict, detail = attempt.verdict, attempt.detail
            values: dict[str, Any] = {"lease_until": None}
            if verdict is Verdict.UNREACHABLE and entry.destination in held:
                since = current.unreachable_since or now
                if now - since < settings.give_up_after:
                    connection.execute(outbox.update().where(outbox.c.id == entry.id).values(
                        status="pending", next_attempt_at=held[entry.destination],
                        unreachable_since=since, last_error=detail, lease_until=None))
                    continue
                verdict = Verdict.DEAD
                detail = (f"unreachable for {_duration(now - since)} "
                          f"(give_up_after {settings.give_up_after:g} s): {detail}")
                values["unreachable_since"] = since
            else:
                if verdict is Verdict.UNREACHABLE:
                    # Other entries for the partner got through in this pass: this failure
                    # is this message's own.
                    verdict = Verdict.RETRY
                values["unreachable_since"] = None
                values["attempts"] = current.attempts + 1
                if verdict is Verdict.RETRY and values["attempts"] >= settings.max_attempts:
                    verdict = Verdict.DEAD
            values["last_error"] = None if verdict in (Verdict.DELIVERED, Verdict.REJECTED) \
                else detail
            if verdict in (Verdict.DELIVERED, Verdict.REJECTED):
                values.update(status=verdict.value, delivered_at=stamp, reply=attempt.reply)
            elif verdict is Verdict.RETRY:
                values.update(status="pending",
                              next_attempt_at=now + backoff(values["attempts"], settings))
            else:
                values.update(status="dead")
                connection.execute(dead_letters.insert().values(
                    outbox_id=entry.id, destination=entry.destination,
                    message_id=entry.message_id, reason=detail, dead_at=stamp))
            connection.execute(outbox.update().where(outbox.c.id == entry.id).values(**values))
            if verdict is not Verdict.RETRY:
                events.append(AuditEvent(node_id, f"outbox.{verdict.value}",
                                         f"{entry.destination}/{entry.message_id}",
                                         {"attempts": values.get("attempts", current.attempts),
                                          "detail": detail[:200]}))
        append(connection, events)


def _hold_or_release(connection: Connection, node_id: str, settings: OutboxSettings,
                     results: Sequence[tuple[Any, Attempt]], now: float, stamp: str,
                     events: list[AuditEvent]) -> dict[str, float]:
    """Hold each partner that no attempt of this pass reached, release each that answered;
    the partners held, with the time their hold ends."""
    unreached: dict[str, str | None] = {}  # partner -> an error, or None once one answered
    for entry, attempt in results:
        if attempt.verdict is Verdict.UNREACHABLE:
            unreached.setdefault(entry.destination, attempt.detail)
        else:
            unreached[entry.destination] = None
    known = {row.destination: row for row in connection.execute(
        select(destinations).where(destinations.c.destination.in_(list(unreached))))}
    held: dict[str, float] = {}
    for destination, error in unreached.items():
        row = known.get(destination)
        if error is None:
            if row is not None:
                connection.execute(destinations.delete()
                                   .where(destinations.c.destination == destination))
                # Everything that waited for the partner goes now.
                connection.execute(outbox.update().where(
                    outbox.c.destination == destination, outbox.c.status == "pending",
                    outbox.c.next_attempt_at > now).values(next_attempt_at=now))
                events.append(AuditEvent(node_id, "outbox.reachable", destination,
                                         {"failures": row.failures, "since": row.since}))
            continue
        failures = (row.failures if row is not None else 0) + 1
        held[destination] = until = now + backoff(failures, settings)
        if row is None:
            connection.execute(destinations.insert().values(
                destination=destination, failures=failures, held_until=until, since=stamp,
                last_error=error))
            events.append(AuditEvent(node_id, "outbox.unreachable", destination,
                                     {"detail": error[:200]}))
        else:
            connection.execute(destinations.update()
                               .where(destinations.c.destination == destination)
                               .values(failures=failures, held_until=until, last_error=error))
    return held


def _duration(seconds: float) -> str:
    """``45 s``, ``12 min`` or ``3.5 h``."""
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 2 * 3600:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
