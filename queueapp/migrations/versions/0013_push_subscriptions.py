"""push subscriptions: browsers told about a ticket by web push

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-27

A citizen who taps "notify me" on the status page leaves the browser's push subscription
(endpoint and keys) for that ticket; the endpoint identifies the browser, so it is deleted
with the ticket's other personal data, or as soon as the push service says it is gone.
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'push_subscriptions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('ticket_id', sa.Integer(), nullable=False),
        sa.Column('endpoint', sa.String(length=1000), nullable=False),
        sa.Column('p256dh', sa.String(length=128), nullable=False),
        sa.Column('auth', sa.String(length=64), nullable=False),
        sa.Column('locale', sa.String(length=8), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name='fk_push_subscriptions_office_id_offices'),
        sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name='fk_push_subscriptions_ticket_id_tickets'),
        sa.PrimaryKeyConstraint('id', name='pk_push_subscriptions'),
        sa.UniqueConstraint('ticket_id', 'endpoint', name='uq_push_subscriptions_ticket_endpoint'),
    )
    op.create_index('ix_push_subscriptions_ticket', 'push_subscriptions', ['ticket_id'])


def downgrade() -> None:
    op.drop_index('ix_push_subscriptions_ticket', table_name='push_subscriptions')
    op.drop_table('push_subscriptions')
