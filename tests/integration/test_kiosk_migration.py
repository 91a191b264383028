"""The kiosks table: the migration creates what the model declares."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from queueapp.models import Base
from queueapp.schema import current_revision, upgrade


def _differences(url: str) -> list:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return compare_metadata(MigrationContext.configure(conn), Base.metadata)
    finally:
        engine.dispose()


def test_migrations_to_head_match_the_models_including_kiosks(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    engine = create_engine(url)
    upgrade(engine)
    assert current_revision(engine) == "0002"
    engine.dispose()
    assert _differences(url) == []


@pytest.mark.postgres
def test_migrations_match_the_models_on_postgresql(pg_url):
    assert _differences(pg_url) == []


def test_the_kiosks_migration_downgrades_cleanly(tmp_path):
    from alembic import command
    from queueapp.schema import alembic_config
    engine = create_engine(f"sqlite:///{tmp_path / 'down.db'}")
    upgrade(engine)
    with engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    assert current_revision(engine) == "0001"
    engine.dispose()
