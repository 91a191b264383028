"""kiosk printer state: what the kiosk's printer last reported, and when

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-27

A kiosk remembers its printer's last known state (ok, paper_out, cover_open, offline,
unconfirmed, marked_out, ...) and when it was learnt, for the staff alert and for the
kiosk to show numbers on screen while it is marked out of paper.
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('kiosks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('printer_state', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('printer_checked_at', sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('kiosks', schema=None) as batch_op:
        batch_op.drop_column('printer_checked_at')
        batch_op.drop_column('printer_state')
