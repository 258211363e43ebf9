"""Delivery of the outbox: sign once, push with backoff and jitter, hold unreachable partners,
dead-letter, resend."""

from gateway.outbox._admin import (
    acknowledge,
    counts,
    held_destinations,
    inbox_entries,
    list_entries,
    resend,
)
from gateway.outbox._claim import claim_due
from gateway.outbox._deliver import MEDIA_TYPES, Attempt, Verdict, deliver
from gateway.outbox._record import backoff, record_attempts
from gateway.outbox._sign import ensure_envelopes
from gateway.outbox._worker import OutboxWorker

__all__ = [
    "Attempt",
    "MEDIA_TYPES",
    "OutboxWorker",
    "Verdict",
    "acknowledge",
    "backoff",
    "claim_due",
    "counts",
    "deliver",
    "ensure_envelopes",
    "held_destinations",
    "inbox_entries",
    "list_entries",
    "record_attempts",
    "resend",
]
