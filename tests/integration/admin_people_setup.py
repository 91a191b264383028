"""The people of the people tests: the demo office (admin, supervisor, clerks loket1-5) plus
an owner, a zone "Dukcapil" of the demo office with its own admin and clerk, and another
office "lain" with its admin and clerk. Every password is PASSWORD."""
from __future__ import annotations

import shutil
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timezone

import pytest

from sqlalchemy import func, select

from queueapp.db import Database
from queueapp.models import AuditEntry, Office, StaffUser, Zone
from queueapp.services import staff
from ..support import csrf_of, log_in  # noqa: F401 - the tests import them from here

PASSWORD = "demo12345"
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)


@dataclass
class People:
    db: Database
    zone_id: int
    other_zone_id: int
    ids: dict[str, int]
    tokens: dict[str, str]

    def headers(self, username: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[username]}"} if username else {}


def add_people(db: Database) -> People:
    with db.write() as uow:
        demo = uow.session.execute(select(Office).where(Office.slug == "demo")).scalar_one()
        dukcapil, imigrasi = Zone(office_id=demo.id, name="Dukcapil"), Zone(office_id=demo.id, name="Imigrasi")
        uow.session.add_all([dukcapil, imigrasi, Office(slug="lain", name="Kantor Lain", timezone="Asia/Makassar")])
        uow.session.flush()
        zone_id, other_zone_id = dukcapil.id, imigrasi.id
    staff.create_user(db, "pemilik", PASSWORD, office_slug=None, role="owner", display_name="Diskominfo",
                      now=NOW)
    staff.create_user(db, "admin-dukcapil", PASSWORD, office_slug="demo", role="admin", zone_id=zone_id, now=NOW)
    staff.create_user(db, "petugas-dukcapil", PASSWORD, office_slug="demo", role="clerk", zone_id=zone_id, now=NOW)
    staff.create_user(db, "admin-lain", PASSWORD, office_slug="lain", role="admin", now=NOW)
    staff.create_user(db, "petugas-lain", PASSWORD, office_slug="lain", role="clerk", now=NOW)
    with db.read() as s:
        ids = dict(s.execute(select(StaffUser.username, StaffUser.id)).all())
    tokens = {name: staff.create_token(db, name, now=NOW, name="tests")
              for name in ("pemilik", "admin", "supervisor", "loket1", "admin-dukcapil", "admin-lain")}
    return People(db, zone_id, other_zone_id, ids, tokens)


@pytest.fixture(scope="session")
def people_template(demo_template, tmp_path_factory):
    """The demo office with the people added, made once (password hashing is slow):
    (database file, People without a database)."""
    folder = tmp_path_factory.mktemp("people-template")
    target = folder / "people.db"
    shutil.copy(demo_template, target)
    seeded = Database(f"sqlite:///{target}")
    made = add_people(seeded)
    seeded.dispose()
    return target, replace(made, db=None)


@pytest.fixture
def db(request, people_template, tmp_path):
    """Overrides the conftest's `db` in the modules that import it: a copy of the people
    template (or, with any_db, the demo seeded on that database plus the people)."""
    if "any_db" in request.fixturenames:
        yield request.getfixturevalue("any_db")
        return
    target = tmp_path / f"{uuid.uuid4().hex}.db"
    shutil.copy(people_template[0], target)
    database = Database(f"sqlite:///{target}")
    yield database
    database.dispose()


@pytest.fixture
def people(request, demo, people_template):
    """The people of a test's database."""
    if "any_db" in request.fixturenames:
        return add_people(demo)
    return replace(people_template[1], db=demo)


def audit_count(db: Database, **where) -> int:
    with db.read() as s:
        query = select(func.count()).select_from(AuditEntry)
        for name, value in where.items():
            query = query.where(getattr(AuditEntry, name) == value)
        return s.execute(query).scalar_one()


def audit_rows(db: Database) -> list[AuditEntry]:
    with db.read() as s:
        return list(s.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars())
