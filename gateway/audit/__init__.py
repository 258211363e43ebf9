"""The hash-chained audit log: append inside write transactions, verify end to end."""

from gateway.audit._chain import GENESIS, AuditEvent, ChainReport, append, verify_chain

__all__ = ["AuditEvent", "ChainReport", "GENESIS", "append", "verify_chain"]
