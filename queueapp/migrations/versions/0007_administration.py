"""administration: zones, the service standard, displays, staff scope, the audit log

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27

An office can be set up without SQL: zones (agencies of a Mal Pelayanan Publik) with
their services, counters, kiosks, displays and staff; the service standard citizens see;
the office's contact, complaint channel and logo; owners (staff of no office); sessions
that end on a password reset; named API tokens; and the audit log.
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def _zone_column(batch_op, table: str) -> None:
    batch_op.add_column(sa.Column('zone_id', sa.Integer(), nullable=True))
    batch_op.create_foreign_key(f'fk_{table}_zone_id_zones', 'zones', ['zone_id'], ['id'])


def upgrade() -> None:
    op.create_table(
        'zones',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('agency', sa.String(length=200), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name='fk_zones_office_id_offices'),
        sa.PrimaryKeyConstraint('id', name='pk_zones'),
        sa.UniqueConstraint('office_id', 'name', name='uq_zones_office_id_name'),
    )
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('complaint_channel', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('logo', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('logo_type', sa.String(length=32), nullable=False, server_default=''))
    with op.batch_alter_table('services', schema=None) as batch_op:
        _zone_column(batch_op, 'services')
        batch_op.add_column(sa.Column('requirements', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('completion_time', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('fee', sa.String(length=200), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('product', sa.String(length=200), nullable=False, server_default=''))
    with op.batch_alter_table('counters', schema=None) as batch_op:
        _zone_column(batch_op, 'counters')
    with op.batch_alter_table('kiosks', schema=None) as batch_op:
        _zone_column(batch_op, 'kiosks')
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.alter_column('office_id', existing_type=sa.Integer(), nullable=True)
        _zone_column(batch_op, 'staff_users')
        batch_op.add_column(sa.Column('session_version', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('last_login_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name', sa.String(length=100), nullable=False, server_default=''))
    op.create_table(
        'displays',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('zone_id', sa.Integer(), nullable=True),
        sa.Column('services', sa.String(length=200), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('repeat', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name='fk_displays_office_id_offices'),
        sa.ForeignKeyConstraint(['zone_id'], ['zones.id'], name='fk_displays_zone_id_zones'),
        sa.PrimaryKeyConstraint('id', name='pk_displays'),
        sa.UniqueConstraint('office_id', 'name', name='uq_displays_office_id_name'),
    )
    op.create_table(
        'audit_entries',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=True),
        sa.Column('zone_id', sa.Integer(), nullable=True),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('staff_id', sa.Integer(), nullable=True),
        sa.Column('username', sa.String(length=64), nullable=False),
        sa.Column('action', sa.String(length=48), nullable=False),
        sa.Column('target', sa.String(length=120), nullable=False),
        sa.Column('changes', sa.JSON(), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name='fk_audit_entries_office_id_offices'),
        sa.ForeignKeyConstraint(['zone_id'], ['zones.id'], name='fk_audit_entries_zone_id_zones'),
        sa.ForeignKeyConstraint(['staff_id'], ['staff_users.id'], name='fk_audit_entries_staff_id_staff_users'),
        sa.PrimaryKeyConstraint('id', name='pk_audit_entries'),
    )
    op.create_index('ix_audit_entries_office_at', 'audit_entries', ['office_id', 'at'])
    # Server defaults only filled the existing rows; the models give new rows their values.
    for table, columns in (('offices', ('contact', 'complaint_channel', 'logo_type')),
                           ('services', ('requirements', 'completion_time', 'fee', 'product')),
                           ('staff_users', ('session_version',)), ('api_tokens', ('name',))):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.alter_column(column, server_default=None)


def downgrade() -> None:
    op.drop_index('ix_audit_entries_office_at', table_name='audit_entries')
    op.drop_table('audit_entries')
    op.drop_table('displays')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('name')
    # Owners have no office; an older schema cannot hold them.
    op.execute("DELETE FROM api_tokens WHERE user_id IN (SELECT id FROM staff_users WHERE office_id IS NULL)")
    op.execute("DELETE FROM staff_users WHERE office_id IS NULL")
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.drop_column('last_login_at')
        batch_op.drop_column('session_version')
        batch_op.drop_constraint('fk_staff_users_zone_id_zones', type_='foreignkey')
        batch_op.drop_column('zone_id')
        batch_op.alter_column('office_id', existing_type=sa.Integer(), nullable=False)
    for table in ('kiosks', 'counters'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f'fk_{table}_zone_id_zones', type_='foreignkey')
            batch_op.drop_column('zone_id')
    with op.batch_alter_table('services', schema=None) as batch_op:
        for column in ('product', 'fee', 'completion_time', 'requirements'):
            batch_op.drop_column(column)
        batch_op.drop_constraint('fk_services_zone_id_zones', type_='foreignkey')
        batch_op.drop_column('zone_id')
    with op.batch_alter_table('offices', schema=None) as batch_op:
        for column in ('logo_type', 'logo', 'complaint_channel', 'contact'):
            batch_op.drop_column(column)
    op.drop_table('zones')
