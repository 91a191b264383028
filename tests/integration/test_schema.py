"""The Alembic migrations build exactly the schema the models describe."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from queueapp.models import Base
from queueapp.schema import current_revision, upgrade


def schema_differences(engine):
    with engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    # SQLite cannot tell a DateTime subtype apart; only real differences count.
    return [d for d in diffs if not (isinstance(d, list) and d and d[0][0] == "modify_type")]


def test_migrations_on_sqlite_match_the_models(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'm.db'}")
    upgrade(engine)
    assert schema_differences(engine) == []
    assert current_revision(engine) is not None


import pytest


@pytest.mark.postgres
def test_migrations_on_postgresql_match_the_models(pg_url):
    engine = create_engine(pg_url)
    assert schema_differences(engine) == []
    engine.dispose()
