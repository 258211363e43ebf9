"""The people whose records a write opened or changed while pending items were open, kept
until the items about them are docked again: a node that stops first docks them when it
starts.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'records_to_follow',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('id_number', sa.String(length=18), nullable=False),
        sa.Column('noted_at', sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_records_to_follow_id_number'), 'records_to_follow',
                    ['id_number'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_records_to_follow_id_number'), table_name='records_to_follow')
    op.drop_table('records_to_follow')
