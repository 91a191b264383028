"""display calls: how many calls a lobby display shows together

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-27

A display lists the last N calls (the newest highlighted); N is set per display (default 4).
"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('displays', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calls', sa.Integer(), nullable=False, server_default='4'))


def downgrade() -> None:
    with op.batch_alter_table('displays', schema=None) as batch_op:
        batch_op.drop_column('calls')
