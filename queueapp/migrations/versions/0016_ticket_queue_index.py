"""ticket queue index: a line's tickets by their place in time

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-28

The people ahead of a number just taken at the back of a long line are the line's waiting
count less those behind it: counting those behind (few) reads this index from the number's
place in time onwards, instead of counting everyone ahead (queries.tickets.positions_of).
"""
from alembic import op


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_tickets_queue", "tickets", ["office_id", "business_date", "service_id", "queued_at"])


def downgrade() -> None:
    op.drop_index("ix_tickets_queue", table_name="tickets")
