"""Migrations keep an office's data: walk-in hours move into the one hours model, and the
constraints get their convention names, on SQLite and PostgreSQL (and back down)."""
import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text

from queueapp.schema import alembic_config, upgrade

from ..support import create_pg_schema, drop_pg_schema, pg_schema_url  # noqa: F401
from .test_schema import schema_differences

OLD_OFFICE = ("INSERT INTO offices (id, slug, name, timezone, address, seq, open_weekdays, opens, closes, closed, "
              "max_calls, finish_on_call_next, running_text) VALUES (1, 'x', 'X', 'Asia/Jakarta', '', 0, '12345', "
              "'08:00', '15:00', false, 3, false, '')")
OLD_BOOKING_HOURS = ("INSERT INTO opening_hours (office_id, weekday, opens, closes, breaks) "
                     "VALUES (1, 1, '08:00', '15:00', '12:00-13:00'), (1, 6, '08:00', '12:00', '')")


def downgrade(engine, revision: str) -> None:
    with engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def check_the_hours_move_and_come_back(engine):
    upgrade(engine, "0003")
    with engine.begin() as conn:
        conn.execute(text(OLD_OFFICE))
        conn.execute(text(OLD_BOOKING_HOURS))
    upgrade(engine)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT weekday, opens, closes, breaks, walk_ins, appointments FROM opening_hours "
                                 "ORDER BY weekday, opens")).all()
    # Monday's booking hours equal the walk-in hours: one row serves both.
    assert [tuple(r) for r in rows] == [(1, "08:00", "15:00", "12:00-13:00", True, True),
                                        *[(d, "08:00", "15:00", "", True, False) for d in (2, 3, 4, 5)],
                                        (6, "08:00", "12:00", "", False, True)]
    assert schema_differences(engine) == []
    assert {c["name"] for c in inspect(engine).get_unique_constraints("services")} == {"uq_services_office_id_prefix"}
    downgrade(engine, "0003")
    with engine.connect() as conn:
        assert tuple(conn.execute(text("SELECT open_weekdays, opens, closes FROM offices")).one()) == \
            ("12345", "08:00", "15:00")
        assert conn.execute(text("SELECT count(*) FROM opening_hours")).scalar_one() == 2


def test_walk_in_hours_move_into_the_hours_model_on_sqlite(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    check_the_hours_move_and_come_back(engine)
    engine.dispose()


@pytest.mark.postgres
def test_walk_in_hours_move_into_the_hours_model_on_postgresql():
    schema, _ = create_pg_schema()
    try:
        engine = create_engine(pg_schema_url(schema))
        downgrade(engine, "base")
        check_the_hours_move_and_come_back(engine)
        engine.dispose()
    finally:
        drop_pg_schema(schema)
