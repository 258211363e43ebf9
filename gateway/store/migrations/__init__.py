"""Alembic migrations of the gateway store (run by ``yipanqi db upgrade`` and at startup)."""
