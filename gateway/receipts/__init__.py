"""Receipts (DESIGN §5): built as documents of the standard, signed, checked on return."""

from gateway.receipts._build import (
    MAX_RECEIPT_ISSUES,
    build_receipt,
    new_receipt_id,
    receipt_bytes,
)
from gateway.receipts._read import read_receipt
from gateway.receipts._sign import receipt_header, sign_document

__all__ = [
    "MAX_RECEIPT_ISSUES",
    "build_receipt",
    "new_receipt_id",
    "read_receipt",
    "receipt_bytes",
    "receipt_header",
    "sign_document",
]
