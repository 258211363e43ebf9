"""Partners the outbox cannot reach, held with a growing delay until a delivery gets through,
and since when each outbox entry has waited for its partner.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 21:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('destinations',
    sa.Column('destination', sa.String(length=16), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('held_until', sa.Float(), nullable=False),
    sa.Column('since', sa.String(length=40), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('destination')
    )
    op.add_column('outbox', sa.Column('unreachable_since', sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('unreachable_since')
    op.drop_table('destinations')
