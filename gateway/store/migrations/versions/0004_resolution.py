"""Pending items and version conflicts marked resolved by a clerk: when, and the note given.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

_TABLES = ('pending_items', 'conflicts')


def upgrade() -> None:
    for table in _TABLES:
        op.add_column(table, sa.Column('resolved_at', sa.String(length=40), nullable=True))
        op.add_column(table, sa.Column('resolution', sa.Text(), nullable=True))


def downgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('resolution')
            batch_op.drop_column('resolved_at')
