"""Check a receipt that came back from a partner: signed by it, about what we sent."""

from __future__ import annotations

import hashlib

from gateway.envelope import KeySource, verify_envelope
from gateway.errors import DocumentMismatch
from schema.models.receipt import Receipt


def read_receipt(data: bytes, keys: KeySource, *, partner: str, message_id: str,
                 envelope: bytes) -> Receipt:
    """The verified receipt of ``partner`` for our message ``message_id`` (bytes ``envelope``).

    Raises an envelope or trust error when the signature does not hold, and
    :class:`~gateway.errors.DocumentMismatch` when the receipt is about something else.
    """
    verified = verify_envelope(data, keys)
    receipt = verified.document_model()
    if not isinstance(receipt, Receipt) or verified.header.sender != partner:
        raise DocumentMismatch(f"the answer is not a receipt of {partner}")
    if receipt.message_id != message_id:
        raise DocumentMismatch(f"the receipt is for {receipt.message_id}, not {message_id}")
    if receipt.digest != hashlib.sha256(envelope).hexdigest():
        raise DocumentMismatch("the receipt's digest is not that of the envelope sent")
    return receipt
