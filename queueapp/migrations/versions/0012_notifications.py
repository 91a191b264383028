"""notifications: consents, the outbox, its delivery log, per-office settings

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27

A citizen's consent per channel (the phone encrypted, with a keyed hash for erasure
requests), the outbox a worker delivers from (no phone in it), the delivery log per
message, and each office's channels, daily cap, threshold and texts (docs/NOTIFICATIONS.md).
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'notify_consents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('ticket_id', sa.Integer(), nullable=True),
        sa.Column('appointment_id', sa.Integer(), nullable=True),
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('recipient', sa.Text(), nullable=False),
        sa.Column('recipient_hash', sa.String(length=64), nullable=False),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('text_version', sa.String(length=16), nullable=False),
        sa.Column('given_by', sa.String(length=16), nullable=False),
        sa.Column('given_at', sa.DateTime(), nullable=False),
        sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name='fk_notify_consents_office_id_offices'),
        sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name='fk_notify_consents_ticket_id_tickets'),
        sa.ForeignKeyConstraint(['appointment_id'], ['appointments.id'],
                                name='fk_notify_consents_appointment_id_appointments'),
        sa.PrimaryKeyConstraint('id', name='pk_notify_consents'),
    )
    op.create_index('ix_notify_consents_ticket', 'notify_consents', ['ticket_id'])
    op.create_index('ix_notify_consents_appointment', 'notify_consents', ['appointment_id'])
    op.create_index('ix_notify_consents_hash', 'notify_consents', ['recipient_hash'])
    op.create_table(
        'notify_outbox',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('citizen', sa.String(length=24), nullable=False),
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('idempotency_key', sa.String(length=96), nullable=False),
        sa.Column('state', sa.String(length=12), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
        sa.Column('lease_until', sa.DateTime(), nullable=True),
        sa.Column('paid', sa.Boolean(), nullable=False),
        sa.Column('last_answer', sa.String(length=300), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name='fk_notify_outbox_office_id_offices'),
        sa.PrimaryKeyConstraint('id', name='pk_notify_outbox'),
        sa.UniqueConstraint('idempotency_key', name='uq_notify_outbox_idempotency_key'),
    )
    op.create_index('ix_notify_outbox_due', 'notify_outbox', ['state', 'next_attempt_at'])
    op.create_index('ix_notify_outbox_citizen', 'notify_outbox', ['citizen', 'id'])
    op.create_index('ix_notify_outbox_office', 'notify_outbox', ['office_id', 'created_at'])
    op.create_table(
        'notify_log',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('message_id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('state', sa.String(length=12), nullable=False),
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('answer', sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(['message_id'], ['notify_outbox.id'], name='fk_notify_log_message_id_notify_outbox'),
        sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name='fk_notify_log_office_id_offices'),
        sa.PrimaryKeyConstraint('id', name='pk_notify_log'),
    )
    op.create_index('ix_notify_log_message', 'notify_log', ['message_id'])
    op.create_index('ix_notify_log_office', 'notify_log', ['office_id', 'at'])
    op.create_table(
        'notify_settings',
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('channels', sa.String(length=64), nullable=False),
        sa.Column('daily_cap', sa.Integer(), nullable=False),
        sa.Column('ahead_threshold', sa.Integer(), nullable=False),
        sa.Column('texts', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name='fk_notify_settings_office_id_offices'),
        sa.PrimaryKeyConstraint('office_id', name='pk_notify_settings'),
    )

    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notify', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notify_day', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.drop_column('notify_day')
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_column('notify')
    op.drop_table('notify_settings')
    op.drop_index('ix_notify_log_office', table_name='notify_log')
    op.drop_index('ix_notify_log_message', table_name='notify_log')
    op.drop_table('notify_log')
    op.drop_index('ix_notify_outbox_office', table_name='notify_outbox')
    op.drop_index('ix_notify_outbox_citizen', table_name='notify_outbox')
    op.drop_index('ix_notify_outbox_due', table_name='notify_outbox')
    op.drop_table('notify_outbox')
    op.drop_index('ix_notify_consents_hash', table_name='notify_consents')
    op.drop_index('ix_notify_consents_appointment', table_name='notify_consents')
    op.drop_index('ix_notify_consents_ticket', table_name='notify_consents')
    op.drop_table('notify_consents')
