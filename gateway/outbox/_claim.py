"""Take due outbox entries for delivery, one worker per entry, on either store.

An entry is claimed by setting a lease (``status='sending'``, ``lease_until``) in a short
transaction; PostgreSQL selects with ``FOR UPDATE SKIP LOCKED`` so that workers in other
processes or hosts pass over rows being claimed instead of waiting or taking them too.
A lease that runs out (its worker died) makes the entry due again; the partner's
deduplication on (sender, messageId) absorbs the rare second delivery of the same bytes.
Entries for a partner that is held (it could not be reached: see ``_record``) are left
alone until the hold runs out, so an outage costs one pass per hold, not one try per entry.
"""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Engine, and_, or_, select

from gateway.store import destinations, outbox


def claim_due(engine: Engine, limit: int, lease_seconds: float) -> list[Any]:
    """Claim up to ``limit`` due push entries; returns their rows."""
    now = time.time()
    due = or_(and_(outbox.c.status == "pending", outbox.c.next_attempt_at <= now),
              and_(outbox.c.status == "sending", outbox.c.lease_until < now))
    held = select(destinations.c.destination).where(destinations.c.held_until > now)
    query = (select(outbox.c.id).where(due, outbox.c.pull.is_(False),
                                       outbox.c.destination.not_in(held))
             .order_by(outbox.c.next_attempt_at, outbox.c.id).limit(limit)
             .with_for_update(skip_locked=True))
    with engine.begin() as connection:
        ids = list(connection.execute(query).scalars())
        if not ids:
            return []
        connection.execute(outbox.update().where(outbox.c.id.in_(ids))
                           .values(status="sending", lease_until=now + lease_seconds))
        return list(connection.execute(select(outbox).where(outbox.c.id.in_(ids))
                                       .order_by(outbox.c.id)).all())
