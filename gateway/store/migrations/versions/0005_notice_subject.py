"""Docked notices keep their subject's ID number, indexed: the pending items about a person
whose record changes are found exactly (their own numbers are masked).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 18:00:00
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

_BATCH = 1000


def upgrade() -> None:
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('id_number', sa.String(length=18), nullable=True))
        batch_op.create_index(batch_op.f('ix_notices_id_number'), ['id_number'], unique=False)
    notices = sa.table('notices', sa.column('id', sa.Integer()),
                       sa.column('id_number', sa.String()), sa.column('document', sa.LargeBinary()))
    connection = op.get_bind()
    last = 0
    while True:  # the notices docked before: their number from their document
        rows = connection.execute(sa.select(notices.c.id, notices.c.document)
                                  .where(notices.c.id > last).order_by(notices.c.id)
                                  .limit(_BATCH)).all()
        if not rows:
            break
        connection.execute(notices.update().where(notices.c.id == sa.bindparam('pk'))
                           .values(id_number=sa.bindparam('number')),
                           [{'pk': row.id, 'number': json.loads(row.document)['subject']
                             ['idNumber'][:18]} for row in rows])
        last = rows[-1].id


def downgrade() -> None:
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notices_id_number'))
        batch_op.drop_column('id_number')
