"""Fixtures: real SQLite (and PostgreSQL where asked), the app, the demo office, staff tokens."""
from __future__ import annotations

import time
from datetime import datetime, timezone

import pytest

from queueapp import create_app
from queueapp.db import Database
from queueapp.services import staff
from queueapp.domain.permissions import Actor
from queueapp.services.demo import seed_demo

from .support import (Clock, create_pg_schema, drop_pg_schema, fresh_sqlite, migrated_sqlite_template,
                      truncate_pg, until_past_office_midnight)


@pytest.fixture(autouse=True)
def away_from_an_office_midnight():
    """A test on the wall clock must not see its office's day end half-way (a number issued
    on one day is not called on the next): one that would start within 90 s of an
    Indonesian midnight starts just after it (at most once a CI run)."""
    wait = until_past_office_midnight(datetime.now(timezone.utc))
    if wait:
        time.sleep(wait)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    return migrated_sqlite_template(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def pg_url():
    schema, url = create_pg_schema()
    yield url
    drop_pg_schema(schema)


@pytest.fixture
def sqlite_db(sqlite_template, tmp_path):
    db = Database(fresh_sqlite(sqlite_template, tmp_path))
    yield db
    db.dispose()


@pytest.fixture
def pg_db(pg_url):
    db = Database(pg_url)
    truncate_pg(db)
    yield db
    db.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_db(request):
    """Runs the test once on SQLite and once on PostgreSQL."""
    return request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "pg_db")



@pytest.fixture
def clock():
    return Clock()


@pytest.fixture(scope="session")
def demo_template(sqlite_template, tmp_path_factory):
    """The migrated schema with the demo office, made once (password hashing is slow)."""
    folder = tmp_path_factory.mktemp("demo-template")
    seeded = Database(fresh_sqlite(sqlite_template, folder))
    seed_demo(seeded)
    seeded.dispose()
    return next(folder.glob("*.db"))


@pytest.fixture
def demo(request, sqlite_template, tmp_path):
    """A database with the demo office: a copy of the seeded template, or, for a test
    parametrised with any_db, the same seeding on PostgreSQL."""
    db = request.getfixturevalue("db")
    if "any_db" in request.fixturenames:
        seed_demo(db)
    return db


@pytest.fixture
def db(request, tmp_path, sqlite_template):
    if "any_db" in request.fixturenames:
        yield request.getfixturevalue("any_db")
        return
    template = request.getfixturevalue("demo_template") if "demo" in request.fixturenames else sqlite_template
    database = Database(fresh_sqlite(template, tmp_path))
    yield database
    database.dispose()


@pytest.fixture
def app(db, clock, tmp_path, monkeypatch):
    monkeypatch.setenv("QUEUEAPP_INSTANCE_PATH", str(tmp_path))
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "QUEUEAPP_CLOCK": clock,
                      "PUBLIC_URL": "https://antrian.example.go.id"}, database=db)
    yield app


@pytest.fixture
def client(app):
    return app.test_client()


def token_for(db: Database, username: str) -> str:
    return staff.create_token(db, username, now=datetime.now(timezone.utc))


@pytest.fixture
def clerk_headers(demo):
    return {"Authorization": f"Bearer {token_for(demo, 'loket1')}"}


def actor_of(db: Database, username: str) -> Actor:
    with db.read() as session:
        from sqlalchemy import select

        from queueapp.models import StaffUser
        user = session.execute(select(StaffUser).where(StaffUser.username == username)).scalar_one()
        return Actor(staff_id=user.id, office_id=user.office_id, role=user.role.value)


@pytest.fixture
def clerk(demo) -> Actor:
    return actor_of(demo, "loket1")
