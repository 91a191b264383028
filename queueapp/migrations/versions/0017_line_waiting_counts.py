"""line waiting counts: each service's callable tickets of a day, kept by the database

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-28

A board row and a number's place need each line's waiting count at every change. Counting
it read the line's every entry (O(line): 10,000 index entries in a long day's bench), so
`daily_counters.waiting` now holds it, kept by triggers on `tickets` (an insert, a delete,
a change of status, service or day), so that no write path can forget it: the count of a
line is one row, whatever its length (queries.tickets.day_counts). Existing rows are
counted once here.
"""
import sqlalchemy as sa
from alembic import op


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

# domain.states.CALLABLE: the states of a ticket in line (tests/integration/test_line_counts.py
# checks that they agree).
CALLABLE_STATES = ("waiting", "transferred")
CALLABLE = "(" + ", ".join(f"'{state}'" for state in CALLABLE_STATES) + ")"

_ENTER_SQLITE = """
    INSERT INTO daily_counters (service_id, business_date, last_number, waiting)
    VALUES (NEW.service_id, NEW.business_date, 0, 1)
    ON CONFLICT (service_id, business_date) DO UPDATE SET waiting = waiting + 1;"""
_LEAVE_SQLITE = """
    UPDATE daily_counters SET waiting = waiting - 1
    WHERE service_id = OLD.service_id AND business_date = OLD.business_date;"""
SQLITE_TRIGGERS = {
    "tr_tickets_waiting_insert":
        f"AFTER INSERT ON tickets WHEN NEW.status IN {CALLABLE} BEGIN {_ENTER_SQLITE} END",
    "tr_tickets_waiting_delete":
        f"AFTER DELETE ON tickets WHEN OLD.status IN {CALLABLE} BEGIN {_LEAVE_SQLITE} END",
    "tr_tickets_waiting_leave":
        f"AFTER UPDATE OF status, service_id, business_date ON tickets WHEN OLD.status IN {CALLABLE} "
        f"BEGIN {_LEAVE_SQLITE} END",
    "tr_tickets_waiting_enter":
        f"AFTER UPDATE OF status, service_id, business_date ON tickets WHEN NEW.status IN {CALLABLE} "
        f"BEGIN {_ENTER_SQLITE} END",
}

POSTGRESQL_FUNCTION = f"""
CREATE FUNCTION queueapp_tickets_waiting() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        IF OLD.status IN {CALLABLE} THEN
            UPDATE daily_counters SET waiting = waiting - 1
            WHERE service_id = OLD.service_id AND business_date = OLD.business_date;
        END IF;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        IF NEW.status IN {CALLABLE} THEN
            INSERT INTO daily_counters (service_id, business_date, last_number, waiting)
            VALUES (NEW.service_id, NEW.business_date, 0, 1)
            ON CONFLICT (service_id, business_date) DO UPDATE SET waiting = daily_counters.waiting + 1;
        END IF;
    END IF;
    RETURN NULL;
END
$$"""
POSTGRESQL_TRIGGER = ("CREATE TRIGGER tr_tickets_waiting AFTER INSERT OR DELETE OR UPDATE OF status, service_id, "
                      "business_date ON tickets FOR EACH ROW EXECUTE FUNCTION queueapp_tickets_waiting()")


def upgrade() -> None:
    op.add_column("daily_counters", sa.Column("waiting", sa.Integer(), nullable=False, server_default="0"))
    # A line with tickets transferred into it may have no row yet (no number issued).
    op.execute(f"""
        INSERT INTO daily_counters (service_id, business_date, last_number, waiting)
        SELECT DISTINCT t.service_id, t.business_date, 0, 0 FROM tickets t
        WHERE t.status IN {CALLABLE} AND NOT EXISTS (
            SELECT 1 FROM daily_counters d WHERE d.service_id = t.service_id AND d.business_date = t.business_date)""")
    op.execute(f"""
        UPDATE daily_counters SET waiting = (
            SELECT count(*) FROM tickets t WHERE t.service_id = daily_counters.service_id
            AND t.business_date = daily_counters.business_date AND t.status IN {CALLABLE})""")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRESQL_FUNCTION)
        op.execute(POSTGRESQL_TRIGGER)
    else:
        for name, body in SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER tr_tickets_waiting ON tickets")
        op.execute("DROP FUNCTION queueapp_tickets_waiting()")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
    with op.batch_alter_table("daily_counters") as batch:
        batch.drop_column("waiting")
