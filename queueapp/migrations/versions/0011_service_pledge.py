"""service standard and pledge: procedure and complaint handling per service, the office's pledge

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27

PermenPANRB 15/2014 names six components of a service standard that citizens must see;
requirements, completion time, fee and product exist since 0007. This adds the procedure
(sistem, mekanisme dan prosedur: steps, one per line) and complaint handling (penanganan
pengaduan; empty: the office's complaint channel) per service, and the office's service
pledge (maklumat pelayanan) with whether the lobby display shows it.
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.add_column(sa.Column('procedure', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('complaints', sa.String(length=500), nullable=False, server_default=''))
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pledge', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('pledge_on_display', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    # Server defaults only filled the existing rows; the models give new rows their values.
    for table, columns in (('services', ('procedure', 'complaints')), ('offices', ('pledge', 'pledge_on_display'))):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.alter_column(column, server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.drop_column('pledge_on_display')
        batch_op.drop_column('pledge')
    with op.batch_alter_table('services', schema=None) as batch_op:
        batch_op.drop_column('complaints')
        batch_op.drop_column('procedure')
