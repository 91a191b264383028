"""hot path indexes: the ETA's history scan, what stands at a counter, latest calls

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27

Every query run when a ticket is issued, called or shown reads through an index that
bounds it to one day, one service or one counter, so its cost does not grow with the
history kept (a year is about 180,000 tickets). Before this, the ETA's recent service
times (by service and day, no office) read the whole tickets table on every ticket.
"""
from alembic import op


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_tickets_service_times", "tickets", ["service_id", "business_date", "status", "finished_at"]),
    ("ix_tickets_at_counter", "tickets", ["counter_id", "status"]),
    ("ix_ticket_events_counter_calls", "ticket_events", ["counter_id", "type", "at"]),
    ("ix_ticket_events_office_calls", "ticket_events", ["office_id", "type", "at"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
