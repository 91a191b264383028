"""one hours model: walk-in hours move from offices into opening_hours

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27

Walk-in hours (offices.open_weekdays/opens/closes) and booking hours (opening_hours)
were two models. Each opening_hours row now says whether it takes walk-ins, appointments
or both; an office's holidays close both. Existing booking rows take appointments; each
walk-in weekday becomes a walk-in row, or marks the booking row of the same hours.
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

offices = sa.table("offices", sa.column("id", sa.Integer), sa.column("open_weekdays", sa.String),
                   sa.column("opens", sa.String), sa.column("closes", sa.String))
hours = sa.table("opening_hours", sa.column("id", sa.Integer), sa.column("office_id", sa.Integer),
                 sa.column("weekday", sa.Integer), sa.column("opens", sa.String),
                 sa.column("closes", sa.String), sa.column("breaks", sa.String),
                 sa.column("walk_ins", sa.Boolean), sa.column("appointments", sa.Boolean))


def _move_walk_in_hours(conn) -> None:
    for office_id, weekdays, opens, closes in conn.execute(
            sa.select(offices.c.id, offices.c.open_weekdays, offices.c.opens, offices.c.closes)).all():
        for weekday in sorted({int(d) for d in weekdays if d in "1234567"}):
            same = conn.execute(sa.select(hours.c.id).where(
                hours.c.office_id == office_id, hours.c.weekday == weekday,
                hours.c.opens == opens, hours.c.closes == closes)).scalar()
            if same is not None:
                conn.execute(hours.update().where(hours.c.id == same).values(walk_ins=True))
            else:
                conn.execute(hours.insert().values(office_id=office_id, weekday=weekday, opens=opens,
                                                   closes=closes, breaks="", walk_ins=True,
                                                   appointments=False))


def upgrade() -> None:
    with op.batch_alter_table('opening_hours', schema=None) as batch_op:
        batch_op.add_column(sa.Column('walk_ins', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('appointments', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.drop_constraint('uq_opening_hours_office_id_weekday', type_='unique')
        batch_op.create_unique_constraint('uq_opening_hours_office_id_weekday_opens_closes',
                                          ['office_id', 'weekday', 'opens', 'closes'])
    _move_walk_in_hours(op.get_bind())
    with op.batch_alter_table('opening_hours', schema=None) as batch_op:
        batch_op.alter_column('walk_ins', server_default=None)
        batch_op.alter_column('appointments', server_default=None)
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.drop_column('open_weekdays')
        batch_op.drop_column('opens')
        batch_op.drop_column('closes')


def downgrade() -> None:
    with op.batch_alter_table('offices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('open_weekdays', sa.String(length=7), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('opens', sa.String(length=5), nullable=False, server_default='07:30'))
        batch_op.add_column(sa.Column('closes', sa.String(length=5), nullable=False, server_default='16:00'))
    conn = op.get_bind()
    walk_in = conn.execute(sa.select(hours.c.office_id, hours.c.weekday, hours.c.opens, hours.c.closes)
                           .where(hours.c.walk_ins.is_(True))).all()
    by_office: dict[int, list] = {}
    for office_id, weekday, opens, closes in walk_in:
        by_office.setdefault(office_id, []).append((weekday, opens, closes))
    for office_id, rows in by_office.items():
        conn.execute(offices.update().where(offices.c.id == office_id).values(
            open_weekdays="".join(sorted({str(w) for w, _, _ in rows})),
            opens=min(o for _, o, _ in rows), closes=max(c for _, _, c in rows)))
    conn.execute(hours.delete().where(hours.c.appointments.is_(False)))
    with op.batch_alter_table('opening_hours', schema=None) as batch_op:
        batch_op.drop_constraint('uq_opening_hours_office_id_weekday_opens_closes', type_='unique')
        batch_op.create_unique_constraint('uq_opening_hours_office_id_weekday', ['office_id', 'weekday'])
        batch_op.drop_column('appointments')
        batch_op.drop_column('walk_ins')
