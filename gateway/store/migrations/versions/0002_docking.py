"""Data docking (数据对接): docked notices, pending items, and an index of records by the
birth-date segment of their ID number (to find a mistyped number's candidate record).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 14:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.String(length=64), nullable=False),
    sa.Column('department', sa.String(length=8), nullable=False),
    sa.Column('change_type', sa.String(length=32), nullable=False),
    sa.Column('effective_date', sa.String(length=10), nullable=False),
    sa.Column('received_at', sa.String(length=40), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('report_id', sa.String(length=64), nullable=True),
    sa.Column('pending_pk', sa.Integer(), nullable=True),
    sa.Column('document', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('notice_id')
    )
    op.create_table('pending_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('notice_id', sa.String(length=64), nullable=True),
    sa.Column('id_number_masked', sa.String(length=18), nullable=False),
    sa.Column('reason_zh', sa.Text(), nullable=False),
    sa.Column('reason_en', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('pending_items', schema=None) as batch_op:
        batch_op.create_index('ix_pending_status', ['status', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pending_items_notice_id'), ['notice_id'],
                              unique=False)
    op.create_index('ix_records_birth_segment', 'records',
                    [sa.text('substr(id_number, 7, 8)')], unique=False)


def downgrade() -> None:
    op.drop_index('ix_records_birth_segment', table_name='records')
    with op.batch_alter_table('pending_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_items_notice_id'))
        batch_op.drop_index('ix_pending_status')
    op.drop_table('pending_items')
    op.drop_table('notices')
