"""booking: booking rules, opening hours, holidays, appointments, online joins

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('holidays',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('office_id', 'day')
    )
    op.create_table('opening_hours',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('opens', sa.String(length=5), nullable=False),
    sa.Column('closes', sa.String(length=5), nullable=False),
    sa.Column('breaks', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('office_id', 'weekday')
    )
    op.create_table('booking_rules',
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('bookable', sa.Boolean(), nullable=False),
    sa.Column('slot_minutes', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('notice_days', sa.Integer(), nullable=False),
    sa.Column('horizon_days', sa.Integer(), nullable=False),
    sa.Column('per_nik_day', sa.Integer(), nullable=False),
    sa.Column('per_nik_week', sa.Integer(), nullable=False),
    sa.Column('per_phone_day', sa.Integer(), nullable=False),
    sa.Column('per_phone_week', sa.Integer(), nullable=False),
    sa.Column('reoffer_delay_minutes', sa.Integer(), nullable=False),
    sa.Column('requires_nik', sa.Boolean(), nullable=False),
    sa.Column('checkin_before_minutes', sa.Integer(), nullable=False),
    sa.Column('checkin_after_minutes', sa.Integer(), nullable=False),
    sa.Column('late_becomes_walk_in', sa.Boolean(), nullable=False),
    sa.Column('appointments_in_a_row', sa.Integer(), nullable=False),
    sa.Column('online_join', sa.Boolean(), nullable=False),
    sa.Column('online_daily_quota', sa.Integer(), nullable=False),
    sa.Column('online_per_phone_day', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], ),
    sa.PrimaryKeyConstraint('service_id')
    )
    op.create_table('appointments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('slot_start', sa.DateTime(), nullable=False),
    sa.Column('slot_end', sa.DateTime(), nullable=False),
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('manage_token', sa.String(length=43), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('phone', sa.String(length=20), nullable=False),
    sa.Column('nik_hash', sa.String(length=64), nullable=True),
    sa.Column('nik_masked', sa.String(length=16), nullable=True),
    sa.Column('status', sa.Enum('booked', 'cancelled', 'checked_in', 'no_show', 'rescheduled', name='appointment_status', native_enum=False, length=24), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('rescheduled_to_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], ),
    sa.ForeignKeyConstraint(['rescheduled_to_id'], ['appointments.id'], ),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], ),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('manage_token'),
    sa.UniqueConstraint('office_id', 'code', name='uq_appointment_code')
    )
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.create_index('ix_appointments_nik', ['office_id', 'nik_hash'], unique=False)
        batch_op.create_index('ix_appointments_phone', ['office_id', 'phone'], unique=False)
        batch_op.create_index('ix_appointments_slot', ['service_id', 'slot_start'], unique=False)

    op.create_table('online_joins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('office_id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('business_date', sa.Date(), nullable=False),
    sa.Column('phone_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['office_id'], ['offices.id'], ),
    sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('ticket_id')
    )
    with op.batch_alter_table('online_joins', schema=None) as batch_op:
        batch_op.create_index('ix_online_joins_day', ['office_id', 'business_date', 'phone_hash'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('online_joins', schema=None) as batch_op:
        batch_op.drop_index('ix_online_joins_day')

    op.drop_table('online_joins')
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.drop_index('ix_appointments_slot')
        batch_op.drop_index('ix_appointments_phone')
        batch_op.drop_index('ix_appointments_nik')

    op.drop_table('appointments')
    op.drop_table('booking_rules')
    op.drop_table('opening_hours')
    op.drop_table('holidays')
