"""constraint names: every constraint takes its name from the models' naming convention

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27

Constraints created by 0001-0003 had the database's own names (PostgreSQL) or none
(SQLite). Later migrations drop and alter constraints by name, which SQLite batch
migrations can only do when the name is known: this one names them all.
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# The convention of queueapp.models.base, frozen here as this migration applied it.
CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
# Parents before children.
TABLES = ("offices", "services", "counters", "counter_services", "daily_counters", "staff_users",
          "api_tokens", "tickets", "ticket_events", "kiosks", "holidays", "opening_hours",
          "booking_rules", "appointments", "online_joins")


def _postgresql_names(inspector, table: str) -> list[tuple[str, str]]:
    """(current name, convention name) of each constraint of `table`."""
    pairs = []
    pk = inspector.get_pk_constraint(table)
    if pk.get("name"):
        pairs.append((pk["name"], f"pk_{table}"))
    for uq in inspector.get_unique_constraints(table):
        if not uq["name"].startswith("uq_"):  # named by hand in the models: kept
            pairs.append((uq["name"], f"uq_{table}_{'_'.join(uq['column_names'])}"))
    for fk in inspector.get_foreign_keys(table):
        pairs.append((fk["name"], f"fk_{table}_{fk['constrained_columns'][0]}_{fk['referred_table']}"))
    return [(old, new) for old, new in pairs if old != new]


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # SQLite cannot rename a constraint: each table is copied into one with named
        # constraints. Foreign keys are checked at commit, once every copy is in place.
        op.execute("PRAGMA defer_foreign_keys = ON")
        for table in TABLES:
            with op.batch_alter_table(table, recreate="always", naming_convention=CONVENTION):
                pass
        return
    inspector = sa.inspect(bind)
    for table in TABLES:
        for old, new in _postgresql_names(inspector, table):
            op.execute(f'ALTER TABLE "{table}" RENAME CONSTRAINT "{old}" TO "{new}"')


def downgrade() -> None:
    # The names are harmless to the older code: they stay.
    pass
