"""Helpers of the office administration tests: staff of every role (tokens or a browser
session), a second office, the audit log and the events an office published."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select
from werkzeug.security import generate_password_hash

from queueapp.db import Database
from queueapp.domain.permissions import Role
from queueapp.models import AuditEntry, Office, StaffUser, Zone
from queueapp.services import offices, staff
from ..support import csrf_of, log_in  # noqa: F401 - the tests import them from here

PASSWORD = "demo12345"
# A cheap hash: these accounts log in many times per test run.
_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


def add_member(db: Database, username: str, role: str, office_slug: str | None, zone: str | None = None) -> None:
    """A staff account made directly (an owner has no office; `zone` names a zone)."""
    with db.write() as uow:
        s = uow.session
        office_id = s.execute(select(Office.id).where(Office.slug == office_slug)).scalar() if office_slug else None
        zone_id = s.execute(select(Zone.id).where(Zone.office_id == office_id, Zone.name == zone)).scalar() \
            if zone else None
        s.add(StaffUser(username=username, display_name=username, password_hash=_HASH, role=Role(role),
                        office_id=office_id, zone_id=zone_id))


def bearer(db: Database, username: str) -> dict:
    return {"Authorization": f"Bearer {staff.create_token(db, username, now=datetime.now(timezone.utc))}"}


def set_up_people(db: Database, now: datetime) -> None:
    """Besides the demo's admin, supervisor and clerks: an owner, a second office `lain`
    (WITA) with its admin, and a zone `Dukcapil` of the demo with its own admin."""
    offices.create_office(db, None, slug="lain", name="Kecamatan Lain", timezone="WITA", now=now)
    offices.add_zone(db, None, "demo", name="Dukcapil", agency="Disdukcapil", now=now)
    add_member(db, "pemilik", "owner", None)
    add_member(db, "admin-lain", "admin", "lain")
    add_member(db, "admin-dukcapil", "admin", "demo", zone="Dukcapil")


def zone_id(db: Database, name: str = "Dukcapil") -> int:
    with db.read() as s:
        return s.execute(select(Zone.id).where(Zone.name == name)).scalar_one()


def audit_entries(db: Database, action: str) -> list[AuditEntry]:
    """The entries of `action` made by staff (the demo office itself was set up from the
    command line, through the same use cases)."""
    with db.read() as s:
        return list(s.execute(select(AuditEntry).where(AuditEntry.action == action, AuditEntry.staff_id.is_not(None))
                              .order_by(AuditEntry.id)).scalars())
