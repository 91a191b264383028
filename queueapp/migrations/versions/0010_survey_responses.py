"""survey responses: the satisfaction survey (SKM), one per served ticket

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27

A citizen whose ticket was served answers the nine elements of PermenPANRB 14/2017 (1-4),
optionally a profile (age group, sex, education, occupation) and a comment. One response
per ticket (unique ticket_id); no identity is stored.
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'survey_responses',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('ticket_id', sa.Integer(), nullable=False),
        sa.Column('office_id', sa.Integer(), nullable=False),
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.Column('zone_id', sa.Integer(), nullable=True),
        sa.Column('business_date', sa.Date(), nullable=False),
        sa.Column('answered_at', sa.DateTime(), nullable=False),
        *[sa.Column(f'u{n}', sa.SmallInteger(), nullable=False) for n in range(1, 10)],
        sa.Column('age_group', sa.String(length=16), nullable=True),
        sa.Column('sex', sa.String(length=16), nullable=True),
        sa.Column('education', sa.String(length=16), nullable=True),
        sa.Column('occupation', sa.String(length=24), nullable=True),
        sa.Column('comment', sa.String(length=1000), nullable=True),
        sa.Column('version', sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name='fk_survey_responses_ticket_id_tickets'),
        sa.ForeignKeyConstraint(['office_id'], ['offices.id'], name='fk_survey_responses_office_id_offices'),
        sa.ForeignKeyConstraint(['service_id'], ['services.id'], name='fk_survey_responses_service_id_services'),
        sa.ForeignKeyConstraint(['zone_id'], ['zones.id'], name='fk_survey_responses_zone_id_zones'),
        sa.PrimaryKeyConstraint('id', name='pk_survey_responses'),
        sa.UniqueConstraint('ticket_id', name='uq_survey_responses_ticket_id'),
    )
    op.create_index('ix_survey_responses_office_day', 'survey_responses', ['office_id', 'business_date'])


def downgrade() -> None:
    op.drop_index('ix_survey_responses_office_day', table_name='survey_responses')
    op.drop_table('survey_responses')
