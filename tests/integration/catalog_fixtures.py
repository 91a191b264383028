"""People and places the catalog tests act with: an owner, the demo office's admin,
supervisor and clerk, the same roles in another office, and two agencies (zones) of the
demo office with an admin each, as in a Mal Pelayanan Publik."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from queueapp.models import (AuditEntry, BookingRule, Counter, CounterService, Office, Role, Service, StaffUser,
                             Zone)
from queueapp.services import staff

from ..support import set_walk_in_hours

PASSWORD = "demo12345"
# name -> (role, office slug, zone name)
PEOPLE = {
    "owner": ("owner", None, None),
    "admin": ("admin", "demo", None),
    "supervisor": ("supervisor", "demo", None),
    "clerk": ("clerk", "demo", None),
    "other-admin": ("admin", "lain", None),
    "other-supervisor": ("supervisor", "lain", None),
    "other-clerk": ("clerk", "lain", None),
    "dukcapil-admin": ("admin", "demo", "Dukcapil"),
    "imigrasi-admin": ("admin", "demo", "Imigrasi"),
}
# The demo seed's own accounts.
SEEDED = {"admin": "admin", "supervisor": "supervisor", "clerk": "loket1"}


def add_other_office(db) -> None:
    """Another office (Makassar) with one service and one counter."""
    with db.write() as uow:
        office = Office(slug="lain", name="Kecamatan Lain", timezone="Asia/Makassar")
        uow.session.add(office)
        uow.session.flush()
        set_walk_in_hours(uow.session, office.id, "1234567", "00:00", "24:00")
        service = Service(office_id=office.id, prefix="A", name_id="KTP-el", name_en="ID card")
        counter = Counter(office_id=office.id, number=1, name="Loket Lain 1")
        uow.session.add_all([service, counter])
        uow.session.flush()
        uow.session.add(CounterService(counter_id=counter.id, service_id=service.id))


def add_zones(db) -> dict[str, int]:
    """Two agencies of the demo office, each with a service: Dukcapil "K", Imigrasi "P"."""
    zones = {}
    with db.write() as uow:
        office = uow.session.execute(select(Office).where(Office.slug == "demo")).scalar_one()
        for position, (name, code) in enumerate((("Dukcapil", "K"), ("Imigrasi", "P"))):
            zone = Zone(office_id=office.id, name=name, agency=name, position=position)
            uow.session.add(zone)
            uow.session.flush()
            uow.session.add(Service(office_id=office.id, prefix=code, name_id=f"Layanan {name}",
                                    name_en=f"{name} service", zone_id=zone.id, position=10 + position))
            zones[name] = zone.id
    return zones


def add_person(db, username: str, role: str, office_slug: str | None, zone_id: int | None) -> None:
    with db.write() as uow:
        office_id = None if office_slug is None else uow.session.execute(
            select(Office.id).where(Office.slug == office_slug)).scalar_one()
        uow.session.add(StaffUser(username=username, display_name=username, role=Role(role), office_id=office_id,
                                  zone_id=zone_id, password_hash=generate_password_hash(PASSWORD, "pbkdf2:sha256:1")))


def bearer(db, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {staff.create_token(db, username, now=datetime.now(timezone.utc))}"}


def cast(db) -> dict[str, dict[str, str]]:
    """Everyone in PEOPLE with a bearer token; also adds the other office and the zones."""
    add_other_office(db)
    zones = add_zones(db)
    headers = {}
    for name, (role, office, zone) in PEOPLE.items():
        username = SEEDED.get(name, name)
        if name not in SEEDED:
            add_person(db, username, role, office, zones.get(zone))
        headers[name] = bearer(db, username)
    headers["zones"] = zones
    return headers


def counts(db) -> dict[str, int]:
    """How many services, counters, matrix rows, booking rules and audit entries exist."""
    with db.read() as s:
        return {model.__name__: s.execute(select(func.count()).select_from(model)).scalar_one()
                for model in (Service, Counter, CounterService, BookingRule, AuditEntry)}


def audit_entries(db, action: str) -> list[AuditEntry]:
    """The entries of `action` made by staff (the demo office itself was set up from the
    command line, through the same use cases)."""
    with db.read() as s:
        return list(s.execute(select(AuditEntry).where(AuditEntry.action == action, AuditEntry.staff_id.is_not(None))
                              .order_by(AuditEntry.id)).scalars())
