"""staff security: server-side log-in sessions, API tokens that expire

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27

A session cookie names a row of staff_sessions; logging out deletes it, so a copy of the
cookie stops working. API tokens get expires_at (tokens made before this upgrade expire
90 days after it) and last_used_at.
"""
from datetime import datetime, timedelta, timezone

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

# What QUEUEAPP_API_TOKEN_DAYS defaults to: the lifetime given to the tokens that exist.
EXISTING_TOKEN_DAYS = 90


def upgrade() -> None:
    op.create_table(
        'staff_sessions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('key_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['staff_users.id'], name='fk_staff_sessions_user_id_staff_users'),
        sa.PrimaryKeyConstraint('id', name='pk_staff_sessions'),
        sa.UniqueConstraint('key_hash', name='uq_staff_sessions_key_hash'),
    )
    op.create_index('ix_staff_sessions_user_id', 'staff_sessions', ['user_id'])
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('last_used_at', sa.DateTime(), nullable=True))
    expires = (datetime.now(timezone.utc) + timedelta(days=EXISTING_TOKEN_DAYS)).replace(tzinfo=None)
    op.get_bind().execute(sa.text("UPDATE api_tokens SET expires_at = :expires"), {"expires": expires})
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=sa.DateTime(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('last_used_at')
        batch_op.drop_column('expires_at')
    op.drop_index('ix_staff_sessions_user_id', table_name='staff_sessions')
    op.drop_table('staff_sessions')
