"""device tokens: paired kiosks, and idempotency keys bound to their request

Revision ID: 0009
Revises: 0007
Create Date: 2026-11-27

Only a paired kiosk issues tickets: a kiosk keeps the SHA-256 of its device token and when
it was paired. A ticket's idempotency key remembers a hash of the request it came with, so
the same key with another body is refused instead of answered with an old ticket.
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('kiosks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('paired_at', sa.DateTime(), nullable=True))
        batch_op.create_unique_constraint('uq_kiosks_token_hash', ['token_hash'])
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('idempotency_hash', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_column('idempotency_hash')
    with op.batch_alter_table('kiosks', schema=None) as batch_op:
        batch_op.drop_constraint('uq_kiosks_token_hash', type_='unique')
        batch_op.drop_column('paired_at')
        batch_op.drop_column('token_hash')
